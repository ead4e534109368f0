// A labelled form field with required marker, help text and error, wired together for screen readers.
import type { ReactNode } from 'react';
import { isApiError } from '../api/client';

interface FieldProps {
  id: string;
  label: string;
  required?: boolean;
  help?: ReactNode;
  error?: string;
  counter?: { length: number; max: number };
  className?: string;
  children: ReactNode;
}

/** aria-* for the control inside a Field with the same id. */
export function fieldAria(id: string, opts: { help?: boolean; error?: string; required?: boolean }) {
  const describedBy = [opts.error ? `${id}-error` : null, opts.help ? `${id}-help` : null].filter(Boolean).join(' ');
  return {
    id,
    'aria-invalid': opts.error ? true : undefined,
    'aria-describedby': describedBy || undefined,
    'aria-required': opts.required || undefined,
  } as const;
}

/** The API's field errors (a 422) as one sentence per field, ready for Field's `error`; empty for any other failure. */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!isApiError(error)) return {};
  return Object.fromEntries(Object.entries(error.fieldErrors).map(([field, messages]) => [field, messages.join(' ')]));
}

export function Field({ id, label, required, help, error, counter, className, children }: FieldProps) {
  const near = counter && counter.length > counter.max * 0.9;
  return (
    <div className={`field${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}>
      <div className="field__label-row">
        <label htmlFor={id}>
          {label}
          {required && (
            <span className="required" aria-hidden="true">
              {' '}*
            </span>
          )}
        </label>
        {counter && (
          <span className={`field__counter${near ? ' is-near' : ''}`} aria-hidden={!near}>
            {counter.length.toLocaleString('en-GB')} / {counter.max.toLocaleString('en-GB')}
          </span>
        )}
      </div>
      {children}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
      {help && (
        <p id={`${id}-help`} className="field-help">
          {help}
        </p>
      )}
    </div>
  );
}
