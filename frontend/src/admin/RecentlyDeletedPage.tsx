// Interactions deleted in this site, kept 30 days: restore one with its id and history.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { adminQueries, undeleteInteraction } from '../api/admin';
import { interactionKeys } from '../api/interactions';
import type { DeletedInteraction } from '../api/types';
import { useSite } from '../session/SiteContext';
import { formatLocal } from '../lib/datetime';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { AdminTable, type AdminColumn } from './AdminTable';
import { useAdminMutation } from './useAdminMutation';

const LABELS = { loading: 'Loading deleted interactions…', empty: 'Nothing was deleted in the last 30 days.', pager: 'Deleted interactions pages' };

export function RecentlyDeletedPage() {
  const { site } = useSite();
  const [page, setPage] = useState(1);
  const [restored, setRestored] = useState<{ id: number; title: string } | null>(null);
  useDocumentTitle(`Recently deleted – ${site.name}`);
  const params = { page, page_size: 25 };
  const deleted = useQuery(adminQueries.deleted(site.id, params));
  const restore = useAdminMutation(
    (id: number) => undeleteInteraction(id),
    (_id, item) => {
      setRestored(item);
      return `Restored “${item.title}”`;
    },
    interactionKeys.all(site.id),
  );
  const columns: AdminColumn<DeletedInteraction>[] = [
    { id: 'title', header: 'Title', meta: { className: 'col-title' }, cell: ({ row }) => row.original.title },
    { id: 'type', header: 'Type', cell: ({ row }) => row.original.type },
    { id: 'start', header: 'Start', cell: ({ row }) => formatLocal(row.original.start_datetime) },
    { id: 'deleted', header: 'Deleted', cell: ({ row }) => formatLocal(row.original.deleted_at) },
    { id: 'deleted_by', header: 'Deleted by', cell: ({ row }) => row.original.deleted_by?.display_name ?? '—' },
    {
      id: 'actions',
      header: 'Actions',
      meta: { hideHeader: true },
      cell: ({ row: { original: item } }) => (
        <button type="button" className="button button--small" disabled={restore.isPending} onClick={() => restore.mutate(item.id)}>
          Restore<span className="visually-hidden"> “{item.title}”</span>
        </button>
      ),
    },
  ];

  return (
    <section aria-labelledby="deleted-title">
      <h2 id="deleted-title" className="visually-hidden">
        Recently deleted
      </h2>
      <p className="muted">Deleted interactions stay here for 30 days, then they are removed for good.</p>
      {restored && (
        <p className="notice notice--info" role="status">
          “{restored.title}” is back. <Link to={`/interactions/${restored.id}`}>Open it</Link>
        </p>
      )}
      <AdminTable list={deleted} columns={columns} rowKey="id" labels={LABELS} onPage={setPage} />
    </section>
  );
}
