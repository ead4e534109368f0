// Chooses a new password from the e-mailed link (#token=…); a bad or used link says how to get a new one.
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useRef, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { Link } from 'react-router-dom';
import { confirmPasswordReset } from '../api/auth';
import { isApiError } from '../api/client';
import { Field, fieldAria } from '../components/Field';
import { NewPasswordField } from '../components/NewPasswordField';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { AuthCard, AuthForm } from '../components/AuthCard';
import { useLinkToken } from '../lib/linkToken';
import { isInvalidResetLink, resetErrorMessage, resetPasswordSchema, type ResetPasswordValues } from './passwordReset';

type Outcome = 'form' | 'done' | 'invalid-link';

export function ResetPasswordPage() {
  const token = useLinkToken();
  const [outcome, setOutcome] = useState<Outcome>(token ? 'form' : 'invalid-link');
  const [error, setError] = useState<string | null>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const form = useForm<ResetPasswordValues>({
    resolver: zodResolver(resetPasswordSchema),
    mode: 'onTouched',
    defaultValues: { password: '', confirmation: '' },
  });
  const { register, handleSubmit, setFocus, formState, trigger, getFieldState } = form;
  const { errors, isSubmitting } = formState;
  const password = useWatch({ control: form.control, name: 'password' });
  useDocumentTitle('Choose a new password');

  useEffect(() => {
    if (outcome === 'form') setFocus('password');
    else titleRef.current?.focus();
  }, [outcome, setFocus]);

  const onSubmit = handleSubmit(async ({ password }) => {
    setError(null);
    try {
      await confirmPasswordReset(token, password);
      setOutcome('done');
    } catch (e) {
      if (isInvalidResetLink(e)) return setOutcome('invalid-link');
      const serverMessage = isApiError(e) ? e.fieldErrors.password?.join(' ') : undefined;
      if (serverMessage) form.setError('password', { type: 'server', message: serverMessage }, { shouldFocus: true });
      else setError(resetErrorMessage(e));
    }
  });

  if (outcome === 'done') {
    return (
      <AuthCard title="Password changed" titleRef={titleRef}>
        <p className="notice notice--info" role="status">
          Your new password is set. Sign in with it now.
        </p>
        <Link to="/login" className="button button--primary button--block">
          Sign in
        </Link>
      </AuthCard>
    );
  }

  if (outcome === 'invalid-link') {
    return (
      <AuthCard title="This link does not work" titleRef={titleRef} footer={<Link to="/login">Back to sign in</Link>}>
        <p className="notice notice--error" role="alert">
          This password reset link is invalid, has expired or has already been used. Links work once, for one hour.
        </p>
        <Link to="/forgot-password" className="button button--primary button--block">
          Request a new link
        </Link>
      </AuthCard>
    );
  }

  const passwordError = errors.password?.message;
  const confirmationError = errors.confirmation?.message;
  return (
    <AuthCard title="Choose a new password" footer={<Link to="/forgot-password">Request a new link</Link>}>
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
      <AuthForm onSubmit={(e) => void onSubmit(e)} busy={isSubmitting} busyLabel="Saving…" submitLabel="Set new password">
        <NewPasswordField
          id="reset-password"
          label="New password"
          error={passwordError}
          password={password}
          input={register('password', {
            // A changed password re-checks a confirmation already typed, so "do not match" never goes stale.
            onChange: () => getFieldState('confirmation').isTouched && void trigger('confirmation'),
          })}
        />
        <Field id="reset-confirmation" label="Confirm new password" error={confirmationError}>
          <input
            {...fieldAria('reset-confirmation', { error: confirmationError, required: true })}
            type="password"
            autoComplete="new-password"
            {...register('confirmation')}
          />
        </Field>
      </AuthForm>
    </AuthCard>
  );
}
