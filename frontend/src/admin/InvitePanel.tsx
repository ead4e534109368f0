// Invite someone new by e-mail (a single-use, expiring link), and the invitations still waiting to be accepted.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { invite, listInvitations, revokeInvitation } from '../api/admin';
import { describeError, isApiError } from '../api/client';
import { queryKeys } from '../api/queryKeys';
import type { Role } from '../api/types';
import { useSite } from '../layout/SiteContext';
import { formatLocal } from '../lib/datetime';
import { RoleSelect } from './RoleSelect';
import { useAdminMutation } from './useAdminMutation';

export function InvitePanel() {
  const { site } = useSite();
  const key = queryKeys.invitations(site.id);
  const pending = useQuery({ queryKey: key, queryFn: listInvitations });
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('editor');
  const [error, setError] = useState<string | null>(null);
  const send = useAdminMutation(() => invite(email.trim(), role), key, (_v, sent) => `Invitation sent to ${sent.email}`);
  const revoke = useAdminMutation((id: number) => revokeInvitation(id), key, () => 'Invitation withdrawn');

  return (
    <section className="admin-section panel" aria-labelledby="invite-title">
      <h2 id="invite-title">Invite someone new</h2>
      <form
        className="admin-form"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          if (!/^\S+@\S+\.\S+$/.test(email.trim())) return setError('Enter a complete e-mail address, like name@example.org.');
          send.mutate(undefined, {
            onSuccess: () => setEmail(''),
            onError: (err) => setError(isApiError(err) ? (err.fieldErrors.email?.join(' ') ?? err.message) : describeError(err)),
          });
        }}
      >
        <div className="field">
          <label htmlFor="invite-email">E-mail address</label>
          <input
            id="invite-email"
            type="email"
            autoComplete="off"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'invite-email-error' : 'invite-email-help'}
          />
          {error ? (
            <p id="invite-email-error" className="field-error">
              {error}
            </p>
          ) : (
            <p id="invite-email-help" className="field-help">
              They get a link that works once, for 7 days.
            </p>
          )}
        </div>
        <RoleSelect id="invite-role" value={role} onChange={setRole} />
        <button type="submit" className="button button--primary" disabled={send.isPending}>
          Send invitation
        </button>
      </form>
      {pending.data && pending.data.items.length > 0 && (
        <>
          <h3 className="admin-subtitle">Waiting to be accepted</h3>
          <ul className="plain-list">
            {pending.data.items.map((i) => (
              <li key={i.id}>
                <span>
                  <strong>{i.email}</strong> as {i.role} · expires {formatLocal(i.expires_at)}
                </span>
                <button type="button" className="button button--small" onClick={() => revoke.mutate(i.id)}>
                  Withdraw<span className="visually-hidden"> the invitation of {i.email}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
