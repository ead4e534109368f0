// The site's audit log: who did what and when, filtered by person, action and date, paged, exportable as CSV.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { exportAuditEvents, listAuditEvents, listMembers } from '../api/admin';
import { describeError } from '../api/client';
import { queryKeys } from '../api/queryKeys';
import type { AuditEvent } from '../api/types';
import { Pager } from '../components/Pager';
import { Spinner } from '../components/Spinner';
import { useToast } from '../components/Toaster';
import { useSite } from '../layout/SiteContext';
import { formatLocal } from '../lib/datetime';
import { useDocumentTitle } from '../lib/useDocumentTitle';

export const ACTION_LABELS: Record<string, string> = {
  create: 'Created a record', update: 'Changed a record', delete: 'Deleted a record', restore: 'Restored a version',
  undelete: 'Undid a delete', purge: 'Purged deleted records', export: 'Exported', login: 'Signed in',
  login_failed: 'Failed sign-in', locked: 'Account locked', logout: 'Signed out', password_reset: 'Reset password',
  password_change: 'Changed password', account_update: 'Changed own account', invite: 'Invited',
  invite_revoke: 'Withdrew an invitation', invite_accept: 'Accepted an invitation', member_add: 'Added a member',
  role_change: 'Changed a role', member_remove: 'Removed a member', unlock: 'Unlocked an account',
  reset_link: 'Sent a reset link', deactivate: 'Deactivated an account', reactivate: 'Reactivated an account',
  site_update: 'Changed site settings',
};

function summary(event: AuditEvent): string {
  const changes = event.changes ?? {};
  const fields = Object.entries(changes).filter(([, v]) => v && typeof v === 'object' && 'to' in (v as object));
  const parts: string[] = [];
  if (event.entity_type) parts.push(`${event.entity_type} #${event.entity_id ?? '—'}`);
  if (fields.length) parts.push(`fields: ${fields.map(([k]) => k).join(', ')}`);
  for (const key of ['email', 'role', 'reason', 'title'] as const) {
    const value = changes[key];
    if (typeof value === 'string') parts.push(`${key}: ${value}`);
  }
  return parts.join(' · ');
}

function download(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}

export function AuditLogPage() {
  const { site } = useSite();
  const toast = useToast();
  const [filters, setFilters] = useState({ user_id: '', action: '', start_from: '', start_to: '' });
  const [page, setPage] = useState(1);
  useDocumentTitle(`Audit log – ${site.name}`);
  const members = useQuery({
    queryKey: [...queryKeys.members(site.id), 'all'],
    queryFn: () => listMembers({ page_size: 100, sort: 'display_name' }),
  });
  const params = { ...filters, page, page_size: 25 };
  const events = useQuery({
    queryKey: queryKeys.audit(site.id, params),
    queryFn: ({ signal }) => listAuditEvents(params, signal),
    placeholderData: keepPreviousData,
  });
  const set = (name: keyof typeof filters) => (e: { target: { value: string } }) => {
    setFilters((f) => ({ ...f, [name]: e.target.value }));
    setPage(1);
  };
  const exportCsv = async () => {
    try {
      download(await exportAuditEvents(filters), `audit-${site.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.csv`);
    } catch (error) {
      toast(describeError(error), 'error');
    }
  };
  const data = events.data;

  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title" className="visually-hidden">
        Audit log
      </h2>
      <form className="admin-form panel admin-section" onSubmit={(e) => e.preventDefault()} aria-label="Filter the audit log">
        <div className="field">
          <label htmlFor="audit-user">Person</label>
          <select id="audit-user" value={filters.user_id} onChange={set('user_id')}>
            <option value="">Everyone</option>
            {members.data?.items.map((m) => (
              <option key={m.user_id} value={m.user_id}>
                {m.display_name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <select id="audit-action" value={filters.action} onChange={set('action')}>
            <option value="">Any action</option>
            {Object.entries(ACTION_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-from">From</label>
          <input id="audit-from" type="date" value={filters.start_from} onChange={set('start_from')} />
        </div>
        <div className="field">
          <label htmlFor="audit-to">To</label>
          <input id="audit-to" type="date" value={filters.start_to} onChange={set('start_to')} />
        </div>
        <button type="button" className="button" onClick={() => void exportCsv()}>
          Export CSV
        </button>
      </form>
      {events.isPending ? (
        <Spinner label="Loading the audit log…" />
      ) : events.isError ? (
        <p className="notice notice--error" role="alert">
          {describeError(events.error)}
        </p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="data-table admin-table" aria-busy={events.isFetching}>
              <thead>
                <tr>
                  <th>When</th>
                  <th>Who</th>
                  <th>What</th>
                  <th>Details</th>
                  <th>Address</th>
                </tr>
              </thead>
              <tbody>
                {data?.items.length === 0 && (
                  <tr>
                    <td colSpan={5}>No events match these filters.</td>
                  </tr>
                )}
                {data?.items.map((e) => (
                  <tr key={e.id}>
                    <td className="col-title nowrap" data-label="When">
                      {formatLocal(e.occurred_at)}
                    </td>
                    <td data-label="Who">{e.user?.display_name ?? '—'}</td>
                    <td data-label="What">{ACTION_LABELS[e.action] ?? e.action}</td>
                    <td data-label="Details">{summary(e)}</td>
                    <td data-label="Address">{e.client_ip ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {data && <Pager label="Audit log pages" page={data.page} pages={data.pages} total={data.total} pageSize={data.page_size} shown={data.items.length} onPage={setPage} />}
        </>
      )}
    </section>
  );
}
