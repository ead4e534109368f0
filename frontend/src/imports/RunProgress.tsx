// Step 4: the run's progress, polled from the server; the page may be left and the import keeps going.
import type { Import } from '../api/imports';
import { formatCount } from './format';

export function RunProgress({ imp, headingId }: { imp: Import; headingId: string }) {
  const { done, total } = imp.progress;
  const percent = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  return (
    <section className="import-card" aria-labelledby={headingId}>
      <h2 id={headingId} className="import-card__title" tabIndex={-1}>
        Importing {imp.filename}…
      </h2>
      <div
        className="import-progress"
        role="progressbar"
        aria-label="Rows imported"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-valuetext={`${formatCount(done)} of ${formatCount(total)} rows`}
      >
        <span className="import-progress__bar" style={{ width: `${percent}%` }} />
      </div>
      <p aria-hidden="true" className="import-progress__text">
        {formatCount(done)} of {formatCount(total)} rows ({percent}%)
      </p>
      <p className="muted">
        You can leave this page: the import goes on, and this page (listed under “Recent imports”) shows its report
        when it is done.
      </p>
    </section>
  );
}
