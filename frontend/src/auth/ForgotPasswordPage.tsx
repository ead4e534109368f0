// Asks for a reset link by e-mail; the answer is the same whether or not an account uses the address.
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link } from 'react-router-dom';
import { requestPasswordReset } from '../api/auth';
import { isApiError } from '../api/client';
import { Field, fieldAria } from '../components/Field';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { AuthCard, AuthForm } from '../components/AuthCard';
import { forgotPasswordSchema, resetErrorMessage, type ForgotPasswordValues } from './passwordReset';
import { useSession } from '../session/SessionContext';

export const RESET_LINK_SENT =
  'If an account uses this address, we have sent a link to choose a new password. The link works for one hour. ' +
  'Check your spam folder if nothing arrives within a few minutes.';

export function ForgotPasswordPage() {
  const session = useSession();
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const form = useForm<ForgotPasswordValues>({
    resolver: zodResolver(forgotPasswordSchema),
    mode: 'onTouched',
    defaultValues: { email: '' },
  });
  const { register, handleSubmit, setFocus, formState } = form;
  const { errors, isSubmitting } = formState;
  useDocumentTitle('Forgot your password');

  useEffect(() => {
    if (sent) titleRef.current?.focus();
    else setFocus('email');
  }, [sent, setFocus]);

  if (session.mode === 'auth0') {
    return (
      <AuthCard title="Forgot your password?" footer={<Link to="/login">Back to sign in</Link>}>
        <p className="notice notice--info">Your organisation manages your password. Use its own reset process.</p>
      </AuthCard>
    );
  }

  const onSubmit = handleSubmit(async ({ email }) => {
    setError(null);
    try {
      await requestPasswordReset(email);
      setSent(true);
    } catch (e) {
      const serverMessage = isApiError(e) ? e.fieldErrors.email?.join(' ') : undefined;
      if (serverMessage) form.setError('email', { type: 'server', message: serverMessage }, { shouldFocus: true });
      else setError(resetErrorMessage(e));
    }
  });

  if (sent) {
    return (
      <AuthCard title="Check your e-mail" titleRef={titleRef}>
        <p className="notice notice--info" role="status">
          {RESET_LINK_SENT}
        </p>
        <Link to="/login" className="button button--primary button--block">
          Back to sign in
        </Link>
      </AuthCard>
    );
  }

  return (
    <AuthCard title="Forgot your password?" footer={<Link to="/login">Back to sign in</Link>}>
      <p className="login__intro">Enter the e-mail address of your account and we will send you a link to choose a new password.</p>
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
      <AuthForm onSubmit={(e) => void onSubmit(e)} busy={isSubmitting} busyLabel="Sending…" submitLabel="Send the link">
        <Field id="forgot-email" label="E-mail address" error={errors.email?.message}>
          <input
            {...fieldAria('forgot-email', { error: errors.email?.message, required: true })}
            type="email"
            autoComplete="email"
            autoCapitalize="none"
            spellCheck={false}
            {...register('email')}
          />
        </Field>
      </AuthForm>
    </AuthCard>
  );
}
