// What the Finder says instead of (or above) its rows: a failed refresh, a failed first load, no matches, an empty site.
import { Link } from 'react-router-dom';
import { describeError, isApiError } from '../api/client';
import { useSite } from '../session/SiteContext';
import { hasAnyCriteria } from '../criteria/queryState';
import type { FinderQueryControls } from '../criteria/useFinderQuery';
import type { FinderResult } from './useFinderResults';

/** The list on screen is older than the query: the last refresh failed. */
export function RefreshFailed({ result }: { result: FinderResult }) {
  return (
    <p className="notice notice--error" role="alert">
      Could not refresh the list: {describeError(result.error)}{' '}
      <button type="button" className="link-button" onClick={() => void result.refetch()}>
        Try again
      </button>
    </p>
  );
}

export function LoadFailed({ result, onReset }: { result: FinderResult; onReset: () => void }) {
  return (
    <div className="empty-state" role="alert">
      <h2>The interactions could not be loaded</h2>
      <p>{describeError(result.error)}</p>
      <div className="empty-state__actions">
        <button type="button" className="button button--primary" onClick={() => void result.refetch()}>
          Try again
        </button>
        {isApiError(result.error) && result.error.status === 400 && (
          <button type="button" className="button" onClick={onReset}>
            Reset the view
          </button>
        )}
      </div>
    </div>
  );
}

export function NoResults({ controls }: { controls: FinderQueryControls }) {
  const { site, canWrite } = useSite();
  if (hasAnyCriteria(controls.query)) {
    return (
      <div className="empty-state">
        <h2>No interactions match</h2>
        <p>Try fewer words or remove a filter.</p>
        <button type="button" className="button" onClick={controls.reset}>
          Clear search and filters
        </button>
      </div>
    );
  }
  return (
    <div className="empty-state">
      <h2>No interactions yet at {site.name}</h2>
      {canWrite ? (
        <Link to="/interactions/new" className="button button--primary">
          Record the first one
        </Link>
      ) : (
        <p>Nothing has been recorded here yet.</p>
      )}
    </div>
  );
}
