// Whether the choices made on an import's screens are stored: a status beside the step's buttons (always in the page, so
// screen readers hear it change and nothing moves), and a refused change with its reason and a way to send it again.
import { describeError } from '../api/client';
import type { SaveState } from '../lib/useLatestMutation';

const SAYS: Record<SaveState, string> = { idle: '', saving: 'Saving your changes…', saved: 'All changes saved', failed: '' };

export function SaveStatus({ state }: { state: SaveState }) {
  return (
    <span className="import-save-state muted" role="status">
      {SAYS[state]}
    </span>
  );
}

export function ChangeNotSaved({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <p className="notice notice--error" role="alert">
      The change was not saved: {describeError(error)}{' '}
      <button type="button" className="link-button" onClick={onRetry}>
        Try again
      </button>
    </p>
  );
}
