// The site's recent imports on the import landing page, each a link to its progress or report; those not yet run
// can be discarded by who uploaded them and by the site's admins.
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { describeError } from '../api/client';
import { importQueries, type Import, type ImportStatus } from '../api/imports';
import { Spinner } from '../components/Spinner';
import { browserTimeZone, formatInZone } from '../lib/datetime';
import { useSite } from '../session/SiteContext';
import { DiscardImport } from './DiscardImport';
import { formatCount } from './format';

export const STATUS_LABELS: Record<ImportStatus, string> = {
  mapping: 'Not started',
  running: 'Running',
  done: 'Done',
  failed: 'Stopped',
  undone: 'Undone',
};

function summary(imp: Import): string {
  const { counts, progress } = imp;
  if (imp.status === 'running') return `${formatCount(progress.done)} of ${formatCount(progress.total)} rows`;
  if (imp.status === 'mapping') return `${formatCount(counts.rows)} rows`;
  return `${formatCount(counts.imported)} imported, ${formatCount(counts.skipped)} skipped, ${formatCount(counts.failed)} failed`;
}

export function RecentImports({ headingId }: { headingId: string }) {
  const { site } = useSite();
  const list = useQuery(importQueries.list(site.id));
  const zone = browserTimeZone();
  return (
    <section className="import-card" aria-labelledby={headingId}>
      {/* Takes the focus when a discarded import's row, and its button, go. */}
      <h2 id={headingId} className="import-card__title" tabIndex={-1}>
        Recent imports
      </h2>
      {list.isPending ? (
        <p className="muted">
          <Spinner label="Loading the recent imports" /> Loading…
        </p>
      ) : list.isError ? (
        <div className="notice notice--error" role="alert">
          The recent imports could not be loaded: {describeError(list.error)}{' '}
          <button type="button" className="link-button" onClick={() => void list.refetch()}>
            Try again
          </button>
        </div>
      ) : list.data.items.length === 0 ? (
        <p className="import-empty">No imports in {site.name} yet. The files you import will be listed here.</p>
      ) : (
        <ul className="recent-imports">
          {list.data.items.map((imp) => (
            <li key={imp.id}>
              <Link to={`/imports/${imp.id}`}>{imp.filename}</Link>
              <span className={`import-status import-status--${imp.status}`}>{STATUS_LABELS[imp.status]}</span>
              <span className="muted">
                {summary(imp)} · {formatInZone(imp.created_at, zone)} by {imp.created_by}
              </span>
              {imp.can_discard && (
                <DiscardImport imp={imp} small onDiscarded={() => document.getElementById(headingId)?.focus()} />
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
