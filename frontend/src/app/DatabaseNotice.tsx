// A banner while the API serves saved results because the database is unreachable.
import { useDataStale } from '../api/dataFreshness';

export function DatabaseNotice() {
  const stale = useDataStale();
  return (
    <div role="status" aria-live="polite">
      {stale && (
        <p className="notice notice--warning">
          <strong>The database is unreachable.</strong> You are seeing saved results that may be out of date, and
          changes cannot be saved until it is back. This notice disappears by itself.
        </p>
      )}
    </div>
  );
}
