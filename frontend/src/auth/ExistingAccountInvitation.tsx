// An invitation to an address that already has an account: no new account; that account signs in, comes back
// here (the link's token waits in this tab, see pendingInvitation) and accepts, joining the site.
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { acceptInvitationSignedIn } from '../api/admin';
import { describeError } from '../api/client';
import type { InvitationJoined, InvitationPreview } from '../api/types';
import { AuthCard } from '../components/AuthCard';
import { keepInvitationToken } from './pendingInvitation';
import { useSession } from '../session/SessionContext';

const BACK_HERE = '/accept-invitation';

export function ExistingAccountInvitation({ token, invitation }: { token: string; invitation: InvitationPreview }) {
  const session = useSession();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [joined, setJoined] = useState<InvitationJoined | null>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (joined) titleRef.current?.focus();
  }, [joined]);
  const inviter = invitation.invited_by ?? 'An administrator';
  const user = session.status === 'signed-in' ? session.user : null;

  if (joined) {
    return (
      <AuthCard title={`Welcome to ${joined.site_name}`} titleRef={titleRef}>
        <p className="notice notice--info" role="status">
          You have joined {joined.site_name} as {joined.role}.
        </p>
        <Link to="/interactions" className="button button--primary button--block">
          Go to the interactions
        </Link>
      </AuthCard>
    );
  }
  if (!user) {
    const signIn = () => {
      keepInvitationToken(token);
      if (session.mode === 'auth0') void session.signInWithRedirect(BACK_HERE);
      else navigate(`/login?next=${encodeURIComponent(BACK_HERE)}`);
    };
    return (
      <AuthCard title={`Join ${invitation.site_name}`}>
        <p className="login__intro">
          {inviter} invited <strong>{invitation.email}</strong> as {invitation.role}. This address already has an account: sign in
          with it, then accept.
        </p>
        <button type="button" className="button button--primary button--block" onClick={signIn}>
          Sign in to accept
        </button>
      </AuthCard>
    );
  }
  if (user.email.toLowerCase() !== invitation.email.toLowerCase()) {
    return (
      <AuthCard title={`Join ${invitation.site_name}`}>
        <p className="notice notice--error" role="alert">
          You are signed in as {user.username}, but this invitation is for {invitation.email}. Sign out, then sign in with the account
          of that address.
        </p>
        <button type="button" className="button button--block" onClick={() => void session.signOut()}>
          Sign out
        </button>
      </AuthCard>
    );
  }

  const accept = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await acceptInvitationSignedIn(token);
      await session.refreshUser().catch(() => undefined); // the new site shows on the next load otherwise
      setJoined(result);
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  };
  return (
    <AuthCard title={`Join ${invitation.site_name}`}>
      <p className="login__intro">
        {inviter} invited you ({user.email}) to join {invitation.site_name} as {invitation.role}.
      </p>
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
      <button type="button" className="button button--primary button--block" disabled={busy} onClick={() => void accept()}>
        {busy ? 'Joining…' : 'Accept invitation'}
      </button>
    </AuthCard>
  );
}
