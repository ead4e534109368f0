// Step 5: what the run did (imported, skipped, failed), the failed rows to download and correct, a corrected file to
// import, and undo within its window, after a confirmation that says how many records go.
import type { UseMutationResult } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { describeError } from '../api/client';
import { downloadFailedRows, type Import } from '../api/imports';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { useToast } from '../components/Toaster';
import { browserTimeZone, formatInZone } from '../lib/datetime';
import { saveBlob } from '../lib/saveBlob';
import { useSite } from '../session/SiteContext';
import { formatCount, plural } from './format';

type Action = UseMutationResult<Import, Error, void>;

const TITLES: Partial<Record<Import['status'], string>> = {
  done: 'Import finished',
  failed: 'The import stopped',
  undone: 'Import undone',
};

function useFailedRowsDownload(id: number) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const { blob, filename } = await downloadFailedRows(id);
      saveBlob(blob, filename);
    } catch (error) {
      toast(`The failed rows could not be downloaded: ${describeError(error)}`, 'error');
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}

interface Props {
  imp: Import;
  run: Action;
  undo: Action;
  headingId: string;
}

export function ImportReport({ imp, run, undo, headingId }: Props) {
  const { site } = useSite();
  const [confirming, setConfirming] = useState(false);
  const download = useFailedRowsDownload(imp.id);
  const { counts } = imp;
  // The window is checked when the report opens; the server refuses an undo past it anyway (409).
  const [openedAt] = useState(Date.now);
  const undoOpen = imp.status === 'done' && imp.undo_until !== null && Date.parse(imp.undo_until) > openedAt;
  const zone = browserTimeZone();

  return (
    <section className="import-card" aria-labelledby={headingId}>
      <h2 id={headingId} className="import-card__title" tabIndex={-1}>
        {TITLES[imp.status] ?? 'Import'}
      </h2>
      {undo.isSuccess ? (
        <div className="notice notice--info" role="status">
          Import undone: {plural(counts.imported, 'record')} removed from {site.name}.
        </div>
      ) : imp.status === 'undone' ? (
        <div className="notice notice--info">This import was undone: the records it added were removed.</div>
      ) : null}
      {imp.status === 'failed' && (
        <div className="notice notice--warning">
          The import stopped after {formatCount(imp.progress.done)} of {formatCount(imp.progress.total)} rows. Resume it to
          import the rest: rows already in are not imported twice.
        </div>
      )}

      <dl className="import-counts">
        <div>
          <dt>Imported</dt>
          <dd>{formatCount(counts.imported)}</dd>
        </div>
        <div>
          <dt>Skipped</dt>
          <dd>{formatCount(counts.skipped)}</dd>
        </div>
        <div className={counts.failed ? 'import-counts--bad' : undefined}>
          <dt>Failed</dt>
          <dd>{formatCount(counts.failed)}</dd>
        </div>
      </dl>
      <p className="muted">
        {imp.filename}, started {formatInZone(imp.created_at, zone)} by {imp.created_by}
        {imp.finished_at && `, finished ${formatInZone(imp.finished_at, zone)}`}.
        {counts.skipped > 0 && ' Skipped rows match a record that was already there.'}
      </p>

      {(run.isError || undo.isError) && (
        <div className="notice notice--error" role="alert">
          {describeError(run.error ?? undo.error)}
        </div>
      )}

      <div className="import-actions">
        {imp.status === 'failed' && (
          <button type="button" className="button button--primary" disabled={run.isPending} onClick={() => run.mutate()}>
            {run.isPending ? 'Resuming…' : 'Resume import'}
          </button>
        )}
        {counts.failed > 0 && (
          <button type="button" className="button" disabled={download.busy} onClick={() => void download.run()}>
            {download.busy ? 'Downloading…' : 'Download failed rows'}
          </button>
        )}
        <Link to="/imports" className="button">
          Import a corrected file
        </Link>
        <Link to="/interactions" className="button">
          Open in the Finder
        </Link>
        {undoOpen && (
          <button type="button" className="button button--danger" disabled={undo.isPending} onClick={() => setConfirming(true)}>
            {undo.isPending ? 'Undoing…' : 'Undo import'}
          </button>
        )}
      </div>
      {counts.failed > 0 && (
        <p className="field-help">
          The failed rows come with their columns as in your file and a last column “Reason”: correct them and import
          the file again, leaving “Reason” on “Ignore”.
        </p>
      )}
      {undoOpen && imp.undo_until && (
        <p className="field-help">It can be undone until {formatInZone(imp.undo_until, zone)}.</p>
      )}

      <ConfirmDialog
        open={confirming}
        title="Undo this import?"
        confirmLabel={`Remove ${plural(counts.imported, 'record')}`}
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          undo.mutate();
        }}
      >
        <p>
          This removes the {plural(counts.imported, 'record')} this import added to {site.name}.
          Rows it skipped or that failed are not affected.
        </p>
      </ConfirmDialog>
    </section>
  );
}
