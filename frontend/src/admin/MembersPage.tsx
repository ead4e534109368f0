// Members of the site: search, sort, page; add an existing account; change role; unlock, reset link, deactivate, remove.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { addMember, changeRole, listMembers, memberAction, removeMember, type MemberAction } from '../api/admin';
import { describeError, isApiError } from '../api/client';
import { queryKeys } from '../api/queryKeys';
import type { Member, Role } from '../api/types';
import { useSession } from '../auth/SessionContext';
import { Dialog } from '../components/Dialog';
import { Pager } from '../components/Pager';
import { Spinner } from '../components/Spinner';
import { useSite } from '../layout/SiteContext';
import { formatLocal } from '../lib/datetime';
import { useDebouncedField } from '../lib/useDebouncedField';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { InvitePanel } from './InvitePanel';
import { RoleSelect } from './RoleSelect';
import { useAdminMutation } from './useAdminMutation';

const SORTS = [
  ['display_name', 'Name'],
  ['email', 'E-mail'],
  ['role', 'Role'],
  ['last_login_at', 'Last sign-in'],
] as const;
type SortKey = (typeof SORTS)[number][0];

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
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'display_name', desc: false });
  const [page, setPage] = useState(1);
  const [pending, setPending] = useState<Pending | null>(null);
  const box = useDebouncedField(search, (value) => {
    setSearch(value);
    setPage(1);
  });
  useDocumentTitle(`Members – ${site.name}`);
  const params = { search, sort: `${sort.desc ? '-' : ''}${sort.key}`, page, page_size: 25 };
  const key = queryKeys.members(site.id);
  const members = useQuery({
    queryKey: [...key, params],
    queryFn: ({ signal }) => listMembers(params, signal),
    placeholderData: keepPreviousData,
  });

  const role = useAdminMutation(
    ({ member, role, confirm }: { member: Member; role: Role; confirm?: boolean }) => changeRole(member.user_id, role, confirm),
    key,
    ({ member, role }) => `${member.display_name} is now ${role}`,
  );
  const action = useAdminMutation(
    ({ member, action }: { member: Member; action: MemberAction }) => memberAction(member.user_id, action),
    key,
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
    key,
    ({ member }) => `${member.display_name} was removed from ${site.name}`,
  );
  const [addUser, setAddUser] = useState('');
  const [addRole, setAddRole] = useState<Role>('viewer');
  const [addError, setAddError] = useState<string | null>(null);
  const add = useAdminMutation(() => addMember(addUser, addRole), key, (_v, m) => `${m.display_name} was added as ${m.role}`);

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
  const toggleSort = (key: SortKey) => setSort((s) => ({ key, desc: s.key === key ? !s.desc : false }));
  const data = members.data;

  return (
    <>
      <section className="admin-section panel" aria-labelledby="add-member-title">
        <h2 id="add-member-title">Add someone who already has an account</h2>
        <form
          className="admin-form"
          onSubmit={(e) => {
            e.preventDefault();
            setAddError(null);
            if (!addUser.trim()) return setAddError('Enter a username or e-mail address.');
            add.mutate(undefined, {
              onSuccess: () => setAddUser(''),
              onError: (error) => setAddError(isApiError(error) ? (error.fieldErrors.user?.join(' ') ?? error.message) : describeError(error)),
            });
          }}
        >
          <div className="field">
            <label htmlFor="add-user">Username or e-mail</label>
            <input
              id="add-user"
              value={addUser}
              onChange={(e) => setAddUser(e.target.value)}
              aria-invalid={addError ? true : undefined}
              aria-describedby={addError ? 'add-user-error' : undefined}
            />
            {addError && (
              <p id="add-user-error" className="field-error">
                {addError}
              </p>
            )}
          </div>
          <RoleSelect id="add-role" value={addRole} onChange={setAddRole} />
          <button type="submit" className="button button--primary" disabled={add.isPending}>
            Add member
          </button>
        </form>
      </section>

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
        {members.isPending ? (
          <Spinner label="Loading members…" />
        ) : members.isError ? (
          <p className="notice notice--error" role="alert">
            {describeError(members.error)}
          </p>
        ) : (
          <>
            <div className="table-wrap">
              <table className="data-table admin-table" aria-busy={members.isFetching}>
                <thead>
                  <tr>
                    {SORTS.map(([k, label]) => (
                      <th key={k} aria-sort={sort.key === k ? (sort.desc ? 'descending' : 'ascending') : undefined}>
                        <button type="button" className="sort-button" onClick={() => toggleSort(k)}>
                          {label}
                          {sort.key === k && <span aria-hidden="true">{sort.desc ? ' ↓' : ' ↑'}</span>}
                        </button>
                      </th>
                    ))}
                    <th>Status</th>
                    <th>Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {data?.items.length === 0 && (
                    <tr>
                      <td colSpan={6}>No member matches “{search}”.</td>
                    </tr>
                  )}
                  {data?.items.map((m) => (
                    <tr key={m.user_id} data-member={m.username}>
                      <td className="col-title" data-label="Name">
                        <span>
                          <strong>{m.display_name}</strong>
                          {isSelf(m) && ' (you)'}
                          <br />
                          <span className="muted">{m.username}</span>
                        </span>
                      </td>
                      <td data-label="E-mail">{m.email}</td>
                      <td data-label="Role">
                        <RoleSelect
                          id={`role-${m.user_id}`}
                          label={`Role of ${m.display_name}`}
                          hideLabel
                          value={m.role}
                          disabled={role.isPending}
                          onChange={(next) => onRole(m, next)}
                        />
                      </td>
                      <td data-label="Last sign-in">{m.last_login_at ? formatLocal(m.last_login_at) : 'Never'}</td>
                      <td data-label="Status">
                        <Status member={m} />
                      </td>
                      <td data-label="Actions">
                        <div className="row-actions">
                          {m.locked && (
                            <button type="button" className="button button--small" onClick={() => action.mutate({ member: m, action: 'unlock' })}>
                              Unlock
                            </button>
                          )}
                          {m.auth === 'local' && m.is_active && (
                            <button type="button" className="button button--small" onClick={() => action.mutate({ member: m, action: 'reset-link' })}>
                              Send reset link
                            </button>
                          )}
                          {!isSelf(m) &&
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
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {data && (
              <Pager label="Members pages" page={data.page} pages={data.pages} total={data.total} pageSize={data.page_size} shown={data.items.length} onPage={setPage} />
            )}
          </>
        )}
      </section>

      <Dialog
        open={pending !== null}
        title={
          pending?.kind === 'remove'
            ? `Remove ${isSelf(pending.member) ? 'yourself' : pending.member.display_name}?`
            : pending?.kind === 'deactivate'
              ? `Deactivate ${pending.member.display_name}?`
              : 'Change your own role?'
        }
        tone="danger"
        onCancel={() => setPending(null)}
        actions={
          <>
            <button type="button" className="button" data-autofocus onClick={() => setPending(null)}>
              Cancel
            </button>
            <button type="button" className="button button--danger" onClick={confirm}>
              {pending?.kind === 'remove' ? 'Remove' : pending?.kind === 'deactivate' ? 'Deactivate' : 'Change my role'}
            </button>
          </>
        }
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
      </Dialog>
    </>
  );
}
