// A bulk action's progress while it runs, then its report: how many changed, which were left alone because someone
// else changed them (each a link to the record), and Undo after a bulk delete.
import { Link } from 'react-router-dom';
import type { BulkJob } from '../api/bulk';
import { summary } from './useBulkAction';

interface Props {
  job: BulkJob;
  onUndo: (id: number) => void;
  onDismiss: () => void;
  undoing: boolean;
}

export function BulkReport({ job, onUndo, onDismiss, undoing }: Props) {
  if (job.status === 'running') {
    return (
      <section className="bulk-report" aria-label="Bulk action">
        <label className="bulk-report__progress">
          Working: {job.processed.toLocaleString('en')} of {job.total.toLocaleString('en')} records
          <progress max={job.total || 1} value={job.processed} />
        </label>
      </section>
    );
  }
  return (
    <section className={`bulk-report${job.status === 'failed' ? ' bulk-report--failed' : ''}`} aria-label="Bulk action report">
      <p className="bulk-report__summary">{job.status === 'failed' ? 'The action stopped. ' : ''}{summary(job)}</p>
      {job.left_alone.length > 0 && (
        <ul className="bulk-report__conflicts" aria-label="Left alone">
          {job.left_alone.map((item) => (
            <li key={item.id}>
              {item.title === null ? (
                <span>Record {item.id} (no longer here)</span>
              ) : (
                <Link to={`/interactions/${item.id}`}>{item.title}</Link>
              )}
            </li>
          ))}
          {job.conflicts > job.left_alone.length && <li>and {(job.conflicts - job.left_alone.length).toLocaleString('en')} more</li>}
        </ul>
      )}
      <div className="bulk-report__actions">
        {job.can_undo && (
          <button type="button" className="button" onClick={() => onUndo(job.id)} disabled={undoing}>
            Undo
          </button>
        )}
        <button type="button" className="button button--ghost" onClick={onDismiss}>
          Close
        </button>
      </div>
    </section>
  );
}
