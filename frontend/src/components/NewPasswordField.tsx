// Where a new password is typed: the input, described by its error and by the strength meter under it.
import type { InputHTMLAttributes, Ref } from 'react';
import { Field, fieldAria } from './Field';
import { PasswordStrength } from './PasswordStrength';

interface NewPasswordFieldProps {
  id: string;
  label: string;
  error?: string;
  /** Shows the required marker next to the label; the input is aria-required either way. */
  markRequired?: boolean;
  /** What is typed so far, for the meter. */
  password: string;
  /** Words of this person (username, name, e-mail) that make a password easy to guess. */
  userInputs?: string[];
  /** value and onChange, or what react-hook-form's register() returns. */
  input: InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement> };
}

export function NewPasswordField({ id, label, error, markRequired, password, userInputs, input }: NewPasswordFieldProps) {
  const strengthId = `${id}-strength`;
  return (
    <Field id={id} label={label} required={markRequired} error={error}>
      <input
        {...fieldAria(id, { error, required: true })}
        aria-describedby={[error ? `${id}-error` : '', strengthId].filter(Boolean).join(' ')}
        type="password"
        autoComplete="new-password"
        {...input}
      />
      <PasswordStrength id={strengthId} password={password} userInputs={userInputs} />
    </Field>
  );
}
