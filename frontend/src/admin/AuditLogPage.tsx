// The site's audit log: who did what and when, filtered by person, action and date, paged, exportable as CSV.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { adminQueries, exportAuditEvents } from '../api/admin';
import { describeError } from '../api/client';
import type { AuditEvent } from '../api/types';
import { SelectField } from '../components/SelectField';
import { useToast } from '../components/Toaster';
import { useSite } from '../session/SiteContext';
import { formatLocal } from '../lib/datetime';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { AdminTable, type AdminColumn } from './AdminTable';

export const ACTION_LABELS: Record<string, string> = {
  create: 'Created a record', update: 'Changed a record', delete: 'Deleted a record', restore: 'Restored a version',
  undelete: 'Undid a delete', purge: 'Purged deleted records', export: 'Exported', login: 'Signed in',
  login_failed: 'Failed sign-in', locked: 'Account locked', logout: 'Signed out', password_reset: 'Reset password',
  password_change: 'Changed password', account_update: 'Changed own account', invite: 'Invited',
  invite_revoke: 'Withdrew an invitation', invite_accept: 'Accepted an invitation', member_add: 'Added a member',
  role_change: 'Changed a role', member_remove: 'Removed a member', unlock: 'Unlocked an account',
  reset_link: 'Sent a reset link', deactivate: 'Deactivated an account', reactivate: 'Reactivated an account',
  site_update: 'Changed site settings', email_change_request: 'Asked to change e-mail', email_changed: 'Changed e-mail',
  view_create: 'Shared a view', view_update: 'Changed a shared view', view_delete: 'Deleted a shared view',
  bulk_change: 'Changed records in bulk', bulk_delete: 'Deleted records in bulk', bulk_undo: 'Undid a bulk delete',
};

function summary(event: AuditEvent): string {
  const changes = event.changes ?? {};
  const fields = Object.entries(changes).filter(([, v]) => v && typeof v === 'object' && 'to' in (v as object));
  const parts: string[] = [];
  if (event.entity_type) parts.push(`${event.entity_type} #${event.entity_id ?? '—'}`);
  if (fields.length) parts.push(`fields: ${fields.map(([k]) => k).join(', ')}`);
  if (typeof changes.count === 'number') parts.push(`records: ${changes.count}`);
  for (const key of ['email', 'role', 'reason', 'title'] as const) {
    const value = changes[key];
    if (typeof value === 'string') parts.push(`${key}: ${value}`);
  }
  return parts.join(' · ');
}

const ACTION_CHOICES: [string, string][] = [['', 'Any action'], ...Object.entries(ACTION_LABELS)];

const COLUMNS: AdminColumn<AuditEvent>[] = [
  { id: 'when', header: 'When', meta: { className: 'col-title nowrap' }, cell: ({ row }) => formatLocal(row.original.occurred_at) },
  { id: 'who', header: 'Who', cell: ({ row }) => row.original.user?.display_name ?? '—' },
  { id: 'what', header: 'What', cell: ({ row }) => ACTION_LABELS[row.original.action] ?? row.original.action },
  { id: 'details', header: 'Details', cell: ({ row }) => summary(row.original) },
  { id: 'address', header: 'Address', cell: ({ row }) => row.original.client_ip ?? '' },
];

function download(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}

const LABELS = { loading: 'Loading the audit log…', empty: 'No events match these filters.', pager: 'Audit log pages' };

export function AuditLogPage() {
  const { site } = useSite();
  const toast = useToast();
  const [filters, setFilters] = useState({ user_id: '', action: '', start_from: '', start_to: '' });
  const [page, setPage] = useState(1);
  useDocumentTitle(`Audit log – ${site.name}`);
  const members = useQuery(adminQueries.memberChoices(site.id));
  const params = { ...filters, page, page_size: 25 };
  const events = useQuery(adminQueries.audit(site.id, params));
  const set = (name: keyof typeof filters) => (value: string) => {
    setFilters((f) => ({ ...f, [name]: value }));
    setPage(1);
  };
  const people: [string, string][] = [['', 'Everyone'], ...(members.data?.items ?? []).map((m): [string, string] => [String(m.user_id), m.display_name])];
  const exportCsv = async () => {
    try {
      download(await exportAuditEvents(filters), `audit-${site.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.csv`);
    } catch (error) {
      toast(describeError(error), 'error');
    }
  };

  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title" className="visually-hidden">
        Audit log
      </h2>
      <form className="admin-form panel admin-section" onSubmit={(e) => e.preventDefault()} aria-label="Filter the audit log">
        <SelectField id="audit-user" label="Person" value={filters.user_id} choices={people} onChange={set('user_id')} />
        <SelectField id="audit-action" label="Action" value={filters.action} choices={ACTION_CHOICES} onChange={set('action')} />
        <div className="field">
          <label htmlFor="audit-from">From</label>
          <input id="audit-from" type="date" value={filters.start_from} onChange={(e) => set('start_from')(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="audit-to">To</label>
          <input id="audit-to" type="date" value={filters.start_to} onChange={(e) => set('start_to')(e.target.value)} />
        </div>
        <button type="button" className="button" onClick={() => void exportCsv()}>
          Export CSV
        </button>
      </form>
      <AdminTable list={events} columns={COLUMNS} rowKey="id" labels={LABELS} onPage={setPage} />
    </section>
  );
}
