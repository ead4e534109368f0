// A bulk action's progress while it runs, then its report: how many changed, which were left alone because someone
// else changed them (each a link to the record), and Undo after a bulk delete. An action that stopped before it
// finished (its server process ended, or it failed) says how far it got and offers Resume.
import { Link } from 'react-router-dom';
import type { BulkJob } from '../api/bulk';
import { stopped, stoppedMessage, summary } from './useBulkAction';

interface Props {
  job: BulkJob;
  onUndo: (id: number) => void;
  onResume: (id: number) => void;
  onDismiss: () => void;
  /** An undo or a resume is on its way, or an action runs. */
  busy: boolean;
}

export function BulkReport({ job, onUndo, onResume, onDismiss, busy }: Props) {
  const halted = stopped(job);
  if (job.status === 'running' && !halted) {
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
    <section className={`bulk-report${halted ? ' bulk-report--failed' : ''}`} aria-label="Bulk action report">
      {halted && (
        <p className="bulk-report__stopped">
          <strong>{stoppedMessage(job)}</strong>{' '}
          {job.can_resume
            ? 'Resume it to reach the rest: records already done are not done twice.'
            : 'It cannot be resumed: select the records again.'}
        </p>
      )}
      <p className="bulk-report__summary">{summary(job)}</p>
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
        {job.can_resume && (
          <button type="button" className="button button--primary" onClick={() => onResume(job.id)} disabled={busy}>
            Resume
          </button>
        )}
        {job.can_undo && (
          <button type="button" className="button" onClick={() => onUndo(job.id)} disabled={busy}>
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
