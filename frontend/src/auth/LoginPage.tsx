// The sign-in screen: local form, or a button to Auth0 Universal Login; returns the user to where they were.
import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { Field, fieldAria } from '../components/Field';
import { AuthCard, AuthForm } from '../components/AuthCard';
import { useSession } from '../session/SessionContext';
import { loginErrorMessage, safeNextPath } from './loginMessages';
import { useDocumentTitle } from '../lib/useDocumentTitle';

export function LoginPage() {
  const session = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [keepSignedIn, setKeepSignedIn] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useDocumentTitle('Sign in');

  if (session.status === 'signed-in') return <Navigate to={next} replace />;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!username.trim() || !password) {
      setError('Enter both your username and your password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await session.signIn(username.trim(), password, keepSignedIn);
      navigate(next, { replace: true });
    } catch (e) {
      setError(loginErrorMessage(e));
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <AuthCard title="Sign in" footer={session.mode === 'local' && <Link to="/forgot-password">Forgot your password?</Link>}>
      {session.signOutReason === 'expired' && !error && (
        <p className="notice notice--info" role="status">
          Your session has ended. Sign in again to continue where you left off.
        </p>
      )}
      {session.signOutReason === 'signed-out' && !error && (
        <p className="notice notice--info" role="status">
          You have signed out.
        </p>
      )}
      {session.signOutReason === 'signed-out-everywhere' && !error && (
        <p className="notice notice--info" role="status">
          You have signed out on every device.
        </p>
      )}
      {session.signOutReason === 'revoke-failed' && !error && (
        <p className="notice notice--error" role="alert">
          This browser has forgotten your session, but the server could not be reached to end it, so it may
          still work elsewhere. Sign in again and choose “Sign out everywhere” to end it for certain.
        </p>
      )}
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
      {session.mode === 'auth0' ? (
        <button type="button" className="button button--primary button--block" onClick={() => void session.signInWithRedirect(next)}>
          Sign in with your organisation account
        </button>
      ) : (
        <AuthForm onSubmit={(e) => void onSubmit(e)} busy={busy} busyLabel="Signing in…" submitLabel="Sign in">
          <Field id="login-username" label="Username">
            <input
              {...fieldAria('login-username', { required: true })}
              type="text"
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              required
              // The only thing to do on this page: start typing.
              // eslint-disable-next-line jsx-a11y/no-autofocus
              autoFocus
            />
          </Field>
          <Field id="login-password" label="Password">
            <input {...fieldAria('login-password', { required: true })} name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          </Field>
          <div className="check-field">
            <input
              id="login-keep"
              type="checkbox"
              checked={keepSignedIn}
              onChange={(e) => setKeepSignedIn(e.target.checked)}
              aria-describedby="login-keep-help"
            />
            <label htmlFor="login-keep">Keep me signed in on this device</label>
            <p id="login-keep-help" className="field-help">
              Leave this off on a shared computer: you are then signed out when the browser closes.
            </p>
          </div>
        </AuthForm>
      )}
    </AuthCard>
  );
}
