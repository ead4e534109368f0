// Add someone by e-mail: an invitation (a single-use, expiring link) they accept, with the account they have or a new
// one; and the invitations still waiting to be accepted.
import { useQuery } from '@tanstack/react-query';
import { adminQueries, invite, revokeInvitation } from '../api/admin';
import { useSite } from '../session/SiteContext';
import { formatLocal } from '../lib/datetime';
import { PersonRoleForm, type PersonRole } from './PersonRoleForm';
import { useAdminMutation } from './useAdminMutation';

export function InvitePanel() {
  const { site } = useSite();
  const pending = useQuery(adminQueries.invitations(site.id));
  const send = useAdminMutation(
    ({ person, role }: PersonRole) => invite(person.trim(), role),
    (_v, sent) => `Invitation sent to ${sent.email}: they join ${site.name} as ${sent.role} once they accept it`,
  );
  const revoke = useAdminMutation((id: number) => revokeInvitation(id), () => 'Invitation withdrawn');

  return (
    <section className="admin-section panel" aria-labelledby="invite-title">
      <h2 id="invite-title">Add someone</h2>
      <p className="muted">
        Everyone joins by invitation, including people who already have an account in another site: they get a link that works
        once, for 7 days, and become a member of {site.name} when they accept it, with their account or a new one.
      </p>
      <PersonRoleForm
        id="invite-email"
        roleId="invite-role"
        label="E-mail address"
        help="The invitation goes to this address, never to a username."
        input={{ type: 'email', autoComplete: 'off' }}
        defaultRole="editor"
        check={(email) =>
          /^\S+@\S+\.\S+$/.test(email.trim()) ? null : 'Enter their complete e-mail address, like name@example.org: the invitation goes there.'
        }
        apiField="email"
        save={send}
        submitLabel="Send invitation"
      />
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
