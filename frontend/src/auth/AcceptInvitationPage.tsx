// The invitation link (#token=…): shows what it offers, then the person chooses a username and password
// (or, with Auth0, signs in with the invited e-mail's account, which binds it on first sign-in); an address
// that already has an account signs in with it and accepts (ExistingAccountInvitation).
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { acceptInvitation, invitationQueries } from '../api/admin';
import { describeError, isApiError } from '../api/client';
import { Field, fieldAria, fieldErrorsOf } from '../components/Field';
import { NewPasswordField } from '../components/NewPasswordField';
import { FullPageLoading } from '../components/Spinner';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { AuthCard, AuthForm } from '../components/AuthCard';
import { ExistingAccountInvitation } from './ExistingAccountInvitation';
import { useLinkToken } from '../lib/linkToken';
import { MIN_PASSWORD_LENGTH } from '../components/PasswordStrength';
import { takeInvitationToken } from './pendingInvitation';
import { useSession } from '../session/SessionContext';

type Errors = Record<string, string | undefined>;

export function AcceptInvitationPage() {
  const linkToken = useLinkToken();
  // Back from signing in to accept: the token waited in this tab.
  const [token] = useState(() => linkToken || takeInvitationToken());
  const { signInWithRedirect } = useSession();
  useDocumentTitle('Accept your invitation');
  const preview = useQuery(invitationQueries.preview(token));
  const [values, setValues] = useState({ username: '', display_name: '', password: '', confirmation: '' });
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ username: string; site_name: string } | null>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (done) titleRef.current?.focus();
  }, [done]);

  if (token && preview.isPending) return <FullPageLoading label="Checking your invitation…" />;
  const invalid = !token || (isApiError(preview.error) && preview.error.status === 400);
  if (invalid || preview.isError || !preview.data) {
    return (
      <AuthCard title="This invitation does not work" footer={<Link to="/login">Go to sign in</Link>}>
        <p className="notice notice--error" role="alert">
          {invalid
            ? 'This invitation link is invalid, has expired or has already been used. Ask the administrator who invited you for a new one.'
            : describeError(preview.error)}
        </p>
      </AuthCard>
    );
  }
  const invitation = preview.data;
  if (done) {
    return (
      <AuthCard title={`Welcome to ${done.site_name}`} titleRef={titleRef}>
        <p className="notice notice--info" role="status">
          Your account “{done.username}” is ready. Sign in with your new password.
        </p>
        <Link to="/login" className="button button--primary button--block">
          Sign in
        </Link>
      </AuthCard>
    );
  }
  if (invitation.existing_account) return <ExistingAccountInvitation token={token} invitation={invitation} />;
  if (invitation.auth_mode === 'auth0') {
    return (
      <AuthCard title={`Join ${invitation.site_name}`}>
        <p>
          {invitation.invited_by ?? 'An administrator'} invited {invitation.email} as {invitation.role}. Sign in with the account of
          that e-mail address to join.
        </p>
        <button type="button" className="button button--primary button--block" onClick={() => void signInWithRedirect('/interactions')}>
          Sign in to accept
        </button>
      </AuthCard>
    );
  }

  const set = (name: keyof typeof values) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: e.target.value }));
  const submit = async () => {
    const problems: Errors = {};
    if (values.username.includes('@')) problems.username = 'A username cannot be an e-mail address; choose a name like jane.doe.';
    else if (!/^[A-Za-z0-9._-]{2,150}$/.test(values.username.trim())) problems.username = 'Use 2 or more letters, digits or . _ -';
    if (!values.display_name.trim()) problems.display_name = 'Enter the name others will see.';
    if (values.password.length < MIN_PASSWORD_LENGTH) problems.password = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
    if (values.confirmation !== values.password) problems.confirmation = 'The two passwords do not match.';
    setErrors(problems);
    setError(null);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      setDone(await acceptInvitation({ token, username: values.username.trim(), display_name: values.display_name.trim(), password: values.password }));
    } catch (e) {
      const fields = fieldErrorsOf(e);
      if (Object.keys(fields).length) setErrors(fields);
      else setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard title={`Join ${invitation.site_name}`} footer={<Link to="/login">I already have an account</Link>}>
      <p className="login__intro">
        {invitation.invited_by ?? 'An administrator'} invited <strong>{invitation.email}</strong> as {invitation.role}. Choose how you will
        sign in.
      </p>
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
      <AuthForm
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        busy={busy}
        busyLabel="Creating your account…"
        submitLabel="Create my account"
      >
        <Field id="inv-username" label="Username" required error={errors.username}>
          <input {...fieldAria('inv-username', { error: errors.username, required: true })} autoComplete="username" value={values.username} onChange={set('username')} />
        </Field>
        <Field id="inv-name" label="Your name" required error={errors.display_name}>
          <input {...fieldAria('inv-name', { error: errors.display_name, required: true })} autoComplete="name" value={values.display_name} onChange={set('display_name')} />
        </Field>
        <NewPasswordField
          id="inv-password"
          label="Password"
          markRequired
          error={errors.password}
          password={values.password}
          userInputs={[values.username, values.display_name, invitation.email]}
          input={{ value: values.password, onChange: set('password') }}
        />
        <Field id="inv-confirm" label="Confirm password" required error={errors.confirmation}>
          <input {...fieldAria('inv-confirm', { error: errors.confirmation, required: true })} type="password" autoComplete="new-password" value={values.confirmation} onChange={set('confirmation')} />
        </Field>
      </AuthForm>
    </AuthCard>
  );
}
