// Members of the site: search, sort, page; add someone (an invitation); change role; unlock, reset link, deactivate, remove.
import { useQuery } from '@tanstack/react-query';
import type { SortingState } from '@tanstack/react-table';
import { useState } from 'react';
import { adminQueries, changeRole, memberAction, removeMember, type MemberAction } from '../api/admin';
import type { Member, Role } from '../api/types';
import { useSession } from '../session/SessionContext';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { useSite } from '../session/SiteContext';
import { formatLocal } from '../lib/datetime';
import { useDebouncedField } from '../lib/useDebouncedField';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { AdminTable, type AdminColumn } from './AdminTable';
import { InvitePanel } from './InvitePanel';
import { RoleSelect } from './RoleSelect';
import { useAdminMutation } from './useAdminMutation';

/** What waits for a confirmation: a removal, a deactivation, or a change of your own role. */
type Pending = { kind: 'remove' | 'deactivate'; member: Member } | { kind: 'self-role'; member: Member; role: Role };

function Status({ member }: { member: Member }) {
  if (!member.is_active) return <span className="status status--inactive">Deactivated</span>;
  if (member.locked) return <span className="status status--locked">Locked</span>;
  return <span className="status status--active">Active</span>;
}

export function MembersPage() {
  const { site } = useSite();
  const { user } = useSession();
  const [search, setSearch] = useState('');
  const [sorting, setSorting] = useState<SortingState>([{ id: 'display_name', desc: false }]);
  const [page, setPage] = useState(1);
  const [pending, setPending] = useState<Pending | null>(null);
  const box = useDebouncedField(search, (value) => {
    setSearch(value);
    setPage(1);
  });
  useDocumentTitle(`Members – ${site.name}`);
  const params = { search, sort: sorting.map((s) => `${s.desc ? '-' : ''}${s.id}`).join(','), page, page_size: 25 };
  const members = useQuery(adminQueries.memberPage(site.id, params));

  const role = useAdminMutation(
    ({ member, role, confirm }: { member: Member; role: Role; confirm?: boolean }) => changeRole(member.user_id, role, confirm),
    ({ member, role }) => `${member.display_name} is now ${role}`,
  );
  const action = useAdminMutation(
    ({ member, action }: { member: Member; action: MemberAction }) => memberAction(member.user_id, action),
    ({ member, action }) =>
      ({
        unlock: `${member.display_name} can sign in again`,
        'reset-link': `A password reset link was sent to ${member.email}`,
        deactivate: `${member.display_name} is deactivated and signed out everywhere`,
        reactivate: `${member.display_name} can sign in again`,
      })[action],
  );
  const remove = useAdminMutation(
    ({ member, confirm }: { member: Member; confirm?: boolean }) => removeMember(member.user_id, confirm),
    ({ member }) => `${member.display_name} was removed from ${site.name}`,
  );

  const isSelf = (m: Member) => m.user_id === user?.id;
  const onRole = (member: Member, next: Role) => {
    if (isSelf(member) && member.role === 'admin' && next !== 'admin') setPending({ kind: 'self-role', member, role: next });
    else role.mutate({ member, role: next });
  };
  const confirm = () => {
    if (!pending) return;
    if (pending.kind === 'self-role') role.mutate({ member: pending.member, role: pending.role, confirm: true });
    else if (pending.kind === 'remove') remove.mutate({ member: pending.member, confirm: isSelf(pending.member) });
    else action.mutate({ member: pending.member, action: 'deactivate' });
    setPending(null);
  };

  const rowActions = (m: Member) => (
    <div className="row-actions">
      {!m.account_wide && (
        <span className="muted" title="Unlock, reset links and deactivation need an administrator of every site this person belongs to.">
          Also in sites you don’t administer
        </span>
      )}
      {m.account_wide && m.locked && (
        <button type="button" className="button button--small" onClick={() => action.mutate({ member: m, action: 'unlock' })}>
          Unlock
        </button>
      )}
      {m.account_wide && m.auth === 'local' && m.is_active && (
        <button type="button" className="button button--small" onClick={() => action.mutate({ member: m, action: 'reset-link' })}>
          Send reset link
        </button>
      )}
      {m.account_wide && !isSelf(m) &&
        (m.is_active ? (
          <button type="button" className="button button--small" onClick={() => setPending({ kind: 'deactivate', member: m })}>
            Deactivate
          </button>
        ) : (
          <button type="button" className="button button--small" onClick={() => action.mutate({ member: m, action: 'reactivate' })}>
            Reactivate
          </button>
        ))}
      <button type="button" className="button button--small button--danger" onClick={() => setPending({ kind: 'remove', member: m })}>
        Remove
      </button>
    </div>
  );
  const columns: AdminColumn<Member>[] = [
    {
      accessorKey: 'display_name',
      header: 'Name',
      meta: { className: 'col-title' },
      cell: ({ row: { original: m } }) => (
        <span>
          <strong>{m.display_name}</strong>
          {isSelf(m) && ' (you)'}
          <br />
          <span className="muted">{m.username}</span>
        </span>
      ),
    },
    { accessorKey: 'email', header: 'E-mail' },
    {
      accessorKey: 'role',
      header: 'Role',
      cell: ({ row: { original: m } }) => (
        <RoleSelect id={`role-${m.user_id}`} label={`Role of ${m.display_name}`} hideLabel value={m.role} disabled={role.isPending} onChange={(next) => onRole(m, next)} />
      ),
    },
    { accessorKey: 'last_login_at', header: 'Last sign-in', cell: ({ row }) => (row.original.last_login_at ? formatLocal(row.original.last_login_at) : 'Never') },
    { id: 'status', header: 'Status', cell: ({ row }) => <Status member={row.original} /> },
    { id: 'actions', header: 'Actions', cell: ({ row }) => rowActions(row.original) },
  ];

  return (
    <>
      <InvitePanel />

      <section className="admin-section" aria-labelledby="members-title">
        <div className="toolbar">
          <h2 id="members-title">Members</h2>
          <div className="search">
            <label htmlFor="member-search" className="visually-hidden">
              Search members
            </label>
            <input
              id="member-search"
              type="search"
              placeholder="Search name, username or e-mail"
              value={box.value}
              onChange={(e) => box.setValue(e.target.value)}
            />
          </div>
        </div>
        <AdminTable
          list={members}
          columns={columns}
          rowKey="user_id"
          rowProps={(m) => ({ 'data-member': m.username })}
          labels={{ loading: 'Loading members…', empty: `No member matches “${search}”.`, pager: 'Members pages' }}
          onPage={setPage}
          sorting={{ state: sorting, onChange: setSorting }}
        />
      </section>

      <ConfirmDialog
        open={pending !== null}
        title={
          pending?.kind === 'remove'
            ? `Remove ${isSelf(pending.member) ? 'yourself' : pending.member.display_name}?`
            : pending?.kind === 'deactivate'
              ? `Deactivate ${pending.member.display_name}?`
              : 'Change your own role?'
        }
        confirmLabel={pending?.kind === 'remove' ? 'Remove' : pending?.kind === 'deactivate' ? 'Deactivate' : 'Change my role'}
        onConfirm={confirm}
        onCancel={() => setPending(null)}
      >
        {pending?.kind === 'remove' && (
          <p>
            {isSelf(pending.member) ? 'You' : pending.member.display_name} will no longer see anything of {site.name}. The account itself stays.
          </p>
        )}
        {pending?.kind === 'deactivate' && (
          <p>
            {pending.member.display_name} is signed out everywhere at once and cannot sign in to any site until reactivated.
          </p>
        )}
        {pending?.kind === 'self-role' && (
          <p>
            You will become {pending.role} and lose access to the administration of {site.name} as soon as you confirm.
          </p>
        )}
      </ConfirmDialog>
    </>
  );
}
