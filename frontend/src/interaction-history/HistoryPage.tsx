// The versions of one interaction, newest first a page at a time: who changed what and when (from → to, long texts
// as a diff); editors restore one.
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { describeError, isApiError } from '../api/client';
import { interactionKeys, interactionQueries, restoreVersion } from '../api/interactions';
import type { HistoryEntry } from '../api/types';
import { PageHead } from '../components/PageHead';
import { Spinner } from '../components/Spinner';
import { useToast } from '../components/Toaster';
import { useSite } from '../session/SiteContext';
import { formatLocal } from '../lib/datetime';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { HistoryChanges } from './HistoryChanges';

const ACTIONS: Record<HistoryEntry['action'], string> = {
  create: 'Created', update: 'Changed', restore: 'Restored', delete: 'Deleted', undelete: 'Undeleted',
};
const isVersion = (entry: HistoryEntry) => entry.action !== 'delete' && entry.action !== 'undelete';

export function HistoryPage() {
  const id = Number(useParams().id);
  const { site, canWrite } = useSite();
  const toast = useToast();
  const qc = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const record = useQuery(interactionQueries.detail(site.id, id));
  const history = useInfiniteQuery(interactionQueries.history(site.id, id));
  useDocumentTitle(record.data ? `History of ${record.data.title}` : 'History');

  if (record.isPending || history.isPending) return <Spinner label="Loading the history…" />;
  // Once versions are on screen, a failed "Load older" is said next to its button, not instead of them.
  if (record.isError || history.data === undefined) {
    return (
      <div className="empty-state" role="alert">
        <h1 className="page-title">The history could not be loaded</h1>
        <p>{describeError(record.error ?? history.error)}</p>
        <Link to="/interactions" className="button button--primary">
          Back to the list
        </Link>
      </div>
    );
  }
  const current = record.data;
  // A version saved meanwhile shifts the pages by one: an entry can come twice, show it once.
  const seen = new Set<string>();
  const entries = history.data.pages.flatMap((page) => page.items).filter((entry) => {
    const key = entry.id === null ? 'first' : String(entry.id);
    return !seen.has(key) && seen.add(key);
  });
  const total = history.data.pages[history.data.pages.length - 1]?.total ?? entries.length;

  const restore = async (entry: HistoryEntry) => {
    setProblem(null);
    setBusy(entry.version);
    try {
      const saved = await restoreVersion(id, entry.version, current.version);
      qc.setQueryData(interactionKeys.detail(site.id, id), saved);
      toast(`Version ${entry.version} is restored as version ${saved.version}`);
    } catch (error) {
      if (isApiError(error) && error.code === 'version_conflict') {
        setProblem('Someone changed this interaction meanwhile. The history now shows their change; choose again.');
        await qc.invalidateQueries({ queryKey: interactionKeys.detail(site.id, id) });
      } else setProblem(describeError(error));
    } finally {
      setBusy(null);
      void qc.invalidateQueries({ queryKey: interactionKeys.all(site.id) });
    }
  };

  return (
    <div className="form-page">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link to={`/interactions/${id}`}>← {current.title}</Link>
      </nav>
      <PageHead title="History" subtitle={`${current.title} · version ${current.version}`} />
      {problem && (
        <p className="notice notice--error" role="alert">
          {problem}
        </p>
      )}
      <ol className="history" aria-label="Versions, newest first">
        {entries.map((entry) => (
          <li key={entry.id ?? 'first'} className="panel" data-version={entry.version}>
            <div className="history__head">
              <h2 className="admin-subtitle">
                {isVersion(entry) ? `Version ${entry.version}` : ACTIONS[entry.action]}
                {isVersion(entry) && entry.version === current.version && ' (current)'}
              </h2>
              <span className="muted">
                {ACTIONS[entry.action]}
                {entry.restored_from ? ` from version ${entry.restored_from}` : ''} by {entry.user?.display_name ?? 'someone'} on{' '}
                {formatLocal(entry.occurred_at)}
              </span>
            </div>
            <HistoryChanges siteId={site.id} interactionId={id} entry={entry} zone={current.timezone} />
            {canWrite && isVersion(entry) && entry.version !== current.version && (
              <button type="button" className="button button--small" disabled={busy !== null} onClick={() => void restore(entry)}>
                {busy === entry.version ? 'Restoring…' : `Restore version ${entry.version}`}
              </button>
            )}
          </li>
        ))}
      </ol>
      <div className="history__more">
        <p className="muted" role="status">
          Showing {entries.length} of {total} {total === 1 ? 'entry' : 'entries'}
        </p>
        {history.isFetchNextPageError && (
          <p className="notice notice--error" role="alert">
            Older versions could not be loaded: {describeError(history.error)}
          </p>
        )}
        {history.hasNextPage && (
          <button type="button" className="button" disabled={history.isFetchingNextPage} onClick={() => void history.fetchNextPage()}>
            {history.isFetchingNextPage ? 'Loading older versions…' : history.isFetchNextPageError ? 'Try again' : 'Load older versions'}
          </button>
        )}
      </div>
    </div>
  );
}
