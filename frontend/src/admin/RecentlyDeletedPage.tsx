// Interactions deleted in this site, kept 30 days: restore one with its id and history.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { listDeleted, undeleteInteraction } from '../api/admin';
import { describeError } from '../api/client';
import { queryKeys } from '../api/queryKeys';
import { Pager } from '../components/Pager';
import { Spinner } from '../components/Spinner';
import { useSite } from '../layout/SiteContext';
import { formatLocal } from '../lib/datetime';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { useAdminMutation } from './useAdminMutation';

export function RecentlyDeletedPage() {
  const { site } = useSite();
  const [page, setPage] = useState(1);
  const [restored, setRestored] = useState<{ id: number; title: string } | null>(null);
  useDocumentTitle(`Recently deleted – ${site.name}`);
  const params = { page, page_size: 25 };
  const deleted = useQuery({
    queryKey: queryKeys.deleted(site.id, params),
    queryFn: ({ signal }) => listDeleted(params, signal),
    placeholderData: keepPreviousData,
  });
  const restore = useAdminMutation((id: number) => undeleteInteraction(id), queryKeys.interactions(site.id), (_id, item) => {
    setRestored(item);
    return `Restored “${item.title}”`;
  });
  const data = deleted.data;

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
      {deleted.isPending ? (
        <Spinner label="Loading deleted interactions…" />
      ) : deleted.isError ? (
        <p className="notice notice--error" role="alert">
          {describeError(deleted.error)}
        </p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="data-table admin-table" aria-busy={deleted.isFetching}>
              <thead>
                <tr>
                  <th>Title</th>
                  <th>Type</th>
                  <th>Start</th>
                  <th>Deleted</th>
                  <th>Deleted by</th>
                  <th>
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data?.items.length === 0 && (
                  <tr>
                    <td colSpan={6}>Nothing was deleted in the last 30 days.</td>
                  </tr>
                )}
                {data?.items.map((item) => (
                  <tr key={item.id}>
                    <td className="col-title" data-label="Title">
                      {item.title}
                    </td>
                    <td data-label="Type">{item.type}</td>
                    <td data-label="Start">{formatLocal(item.start_datetime)}</td>
                    <td data-label="Deleted">{formatLocal(item.deleted_at)}</td>
                    <td data-label="Deleted by">{item.deleted_by?.display_name ?? '—'}</td>
                    <td data-label="Actions">
                      <button type="button" className="button button--small" disabled={restore.isPending} onClick={() => restore.mutate(item.id)}>
                        Restore<span className="visually-hidden"> “{item.title}”</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {data && <Pager label="Deleted interactions pages" page={data.page} pages={data.pages} total={data.total} pageSize={data.page_size} shown={data.items.length} onPage={setPage} />}
        </>
      )}
    </section>
  );
}
