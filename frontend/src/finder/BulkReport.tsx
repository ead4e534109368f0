// A bulk action's progress while it runs, then its report: how many changed, which were left alone because someone
// else changed them (each a link to the record), and Undo after a bulk delete. An action that stopped before it
// finished (its server process ended, or it failed) says how far it got and offers Resume.
import { useEffect, useRef } from 'react';
import { Link } from 'react-router-dom';
import type { BulkJob } from '../api/bulk';
import { describeError } from '../api/client';
import { stopped, stoppedMessage, summary, type BulkAction } from './useBulkAction';

interface Props {
  job: BulkJob;
  /** Its Undo, Resume and Close; whether one is on its way, and why the server refused the last. */
  bulk: Pick<BulkAction, 'undo' | 'resume' | 'dismiss' | 'running' | 'resuming' | 'refusal'>;
}

const ACTIONS: Record<BulkJob['action'], string> = { change: 'Bulk change', delete: 'Bulk delete', undo: 'Undo' };
const PHASES = { running: 'running', stopped: 'stopped', done: 'finished' } as const;
type Phase = keyof typeof PHASES;

/**
 * Moves focus to the heading when the report's phase changes (and when it first shows), if focus was inside the
 * report or nowhere: the Resume pressed, or the bar that started the action, is gone. Focus the person took
 * elsewhere meanwhile stays there.
 */
function useFocusOnPhase(phase: Phase, jobId: number) {
  const section = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const active = document.activeElement;
    if (!active || active === document.body || section.current?.contains(active)) heading.current?.focus();
  }, [phase, jobId]);
  return { section, heading };
}

export function BulkReport({ job, bulk }: Props) {
  const halted = stopped(job);
  const phase: Phase = halted ? 'stopped' : job.status === 'running' ? 'running' : 'done';
  const { section, heading } = useFocusOnPhase(phase, job.id);
  return (
    <section
      ref={section}
      className={`bulk-report${halted ? ' bulk-report--failed' : ''}`}
      aria-label={phase === 'running' ? 'Bulk action' : 'Bulk action report'}
    >
      <h2 ref={heading} className="bulk-report__title" tabIndex={-1}>
        {ACTIONS[job.action]} {PHASES[phase]}
      </h2>
      {bulk.refusal && (
        <p className="notice notice--error" role="alert">
          {describeError(bulk.refusal)}
        </p>
      )}
      {phase === 'running' ? (
        <label className="bulk-report__progress">
          Working: {job.processed.toLocaleString('en')} of {job.total.toLocaleString('en')} records
          <progress max={job.total || 1} value={job.processed} />
        </label>
      ) : (
        <Report job={job} halted={halted} bulk={bulk} />
      )}
    </section>
  );
}

function Report({ job, halted, bulk }: Props & { halted: boolean }) {
  const busy = bulk.running;
  return (
    <>
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
          // aria-disabled, not disabled: the button keeps the focus while the request is on its way
          <button
            type="button"
            className="button button--primary"
            aria-disabled={busy || undefined}
            onClick={() => !busy && bulk.resume(job.id)}
          >
            {bulk.resuming ? 'Resuming…' : 'Resume'}
          </button>
        )}
        {job.can_undo && (
          <button type="button" className="button" onClick={() => bulk.undo(job.id)} disabled={busy}>
            Undo
          </button>
        )}
        <button type="button" className="button button--ghost" onClick={bulk.dismiss}>
          Close
        </button>
      </div>
    </>
  );
}
