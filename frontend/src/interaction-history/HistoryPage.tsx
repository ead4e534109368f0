// The versions of one interaction: who changed what and when (from → to, long texts as a diff); editors restore one.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { describeError, isApiError } from '../api/client';
import { interactionKeys, interactionQueries, restoreVersion } from '../api/interactions';
import { FIELD_LABELS } from '../api/interactionFields';
import type { Change, HistoryEntry } from '../api/types';
import { PageHead } from '../components/PageHead';
import { Spinner } from '../components/Spinner';
import { useToast } from '../components/Toaster';
import { useSite } from '../layout/SiteContext';
import { formatInZone, formatLocal } from '../lib/datetime';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { TextDiff } from './TextDiff';

const LONG_TEXT = new Set(['title', 'description', 'notes', 'location']);
const ACTIONS: Record<HistoryEntry['action'], string> = {
  create: 'Created', update: 'Changed', restore: 'Restored', delete: 'Deleted', undelete: 'Undeleted',
};

function show(field: string, value: unknown, zone: string): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  if (field.endsWith('_datetime') && typeof value === 'string') return formatInZone(value, zone);
  return String(value);
}

function ChangeRow({ field, change, zone }: { field: string; change: Change; zone: string }) {
  const label = FIELD_LABELS[field as keyof typeof FIELD_LABELS] ?? field;
  return (
    <>
      <dt>{label}</dt>
      <dd>
        {LONG_TEXT.has(field) && typeof change.from === 'string' && typeof change.to === 'string' ? (
          <TextDiff from={change.from} to={change.to} />
        ) : (
          <>
            <del className="diff-del">{show(field, change.from, zone)}</del> → <ins className="diff-ins">{show(field, change.to, zone)}</ins>
          </>
        )}
      </dd>
    </>
  );
}

export function HistoryPage() {
  const id = Number(useParams().id);
  const { site, canWrite } = useSite();
  const toast = useToast();
  const qc = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const record = useQuery(interactionQueries.detail(site.id, id));
  const history = useQuery(interactionQueries.history(site.id, id));
  useDocumentTitle(record.data ? `History of ${record.data.title}` : 'History');

  if (record.isPending || history.isPending) return <Spinner label="Loading the history…" />;
  if (record.isError || history.isError) {
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
        {history.data.items.map((entry, n) => (
          <li key={`${entry.version}-${entry.action}-${n}`} className="panel" data-version={entry.version}>
            <div className="history__head">
              <h2 className="admin-subtitle">
                {entry.snapshot ? `Version ${entry.version}` : ACTIONS[entry.action]}
                {entry.snapshot && entry.version === current.version && ' (current)'}
              </h2>
              <span className="muted">
                {ACTIONS[entry.action]}
                {entry.restored_from ? ` from version ${entry.restored_from}` : ''} by {entry.user?.display_name ?? 'someone'} on{' '}
                {formatLocal(entry.occurred_at)}
              </span>
            </div>
            {Object.keys(entry.changes).length > 0 && (
              <dl className="history__changes">
                {Object.entries(entry.changes).map(([field, change]) => (
                  <ChangeRow key={field} field={field} change={change} zone={current.timezone} />
                ))}
              </dl>
            )}
            {canWrite && entry.snapshot && entry.version !== current.version && (
              <button type="button" className="button button--small" disabled={busy !== null} onClick={() => void restore(entry)}>
                {busy === entry.version ? 'Restoring…' : `Restore version ${entry.version}`}
              </button>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
