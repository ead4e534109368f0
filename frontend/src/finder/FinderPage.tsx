// The Finder: search, filters, sortable paginated table of the current site's interactions, CSV export.
import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import type { VisibilityState } from '@tanstack/react-table';
import { interactionQueries } from '../api/interactions';
import { describeError, isApiError } from '../api/client';
import { useSite } from '../layout/SiteContext';
import { useDebouncedField } from '../lib/useDebouncedField';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { Spinner } from '../components/Spinner';
import { useDisplayZone, ZoneSwitch } from './displayZone';
import { ColumnsMenu, loadColumnVisibility, saveColumnVisibility } from './ColumnsMenu';
import { FiltersPanel } from './FiltersPanel';
import { FilterChips } from './FilterChips';
import { InteractionTable } from './InteractionTable';
import { Pagination } from './Pagination';
import { activeFilterCount, hasAnyCriteria, toApiParams, toggleSort } from './queryState';
import { useExport } from './useExport';
import { useFinderQuery } from './useFinderQuery';

function useSlashToSearch(input: React.RefObject<HTMLInputElement | null>) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
      if (target.closest('input, textarea, select, [contenteditable="true"], dialog')) return;
      event.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [input]);
}

export function FinderPage() {
  const controls = useFinderQuery();
  const { query, update, reset } = controls;
  const { site, canWrite } = useSite();
  const filtersId = useId();
  const searchRef = useRef<HTMLInputElement>(null);
  const [filtersOpen, setFiltersOpen] = useState(() => activeFilterCount(query) > 0);
  const [columnVisibility, setColumnVisibility] = useState<VisibilityState>(loadColumnVisibility);
  const search = useDebouncedField(query.search, (value) => update({ search: value }, { replace: true }));
  const exporter = useExport(query);
  const zones = useDisplayZone(site.default_timezone);
  useSlashToSearch(searchRef);
  useDocumentTitle(query.search.trim() ? `“${query.search.trim()}” – ${site.name}` : site.name);

  const params = toApiParams(query);
  const result = useQuery(interactionQueries.page(site.id, params));
  const data = result.data;
  const rows = data?.items ?? [];
  const firstLoad = result.isPending;

  // A page past the end (rows deleted, or a stale link): go to the last page that exists.
  useEffect(() => {
    if (data && data.total_exact && data.items.length === 0 && query.page > 1 && data.pages >= 1) {
      update({ page: data.pages }, { replace: true });
    }
  }, [data, query.page, update]);

  const filterCount = activeFilterCount(query);
  const skipToResults = (event: React.MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    const results = document.getElementById('finder-results');
    const target = results?.querySelector<HTMLElement>('a[data-row-link]') ?? results;
    target?.focus();
  };
  const pager = (placement: 'top' | 'bottom') =>
    data && (
      <Pagination
        placement={placement}
        page={query.page}
        pageSize={query.pageSize}
        total={data.total}
        pages={data.pages}
        totalExact={data.total_exact}
        shown={rows.length}
        onPage={(page) => update({ page })}
        onPageSize={(pageSize) => update({ pageSize })}
      />
    );
  const onSort = (field: Parameters<typeof toggleSort>[1], multi: boolean) =>
    update({ sort: toggleSort(query.sort, field, multi) });

  return (
    <div className="finder">
      <div className="page-head">
        <div>
          <h1 className="page-title">Interactions</h1>
          <p className="page-subtitle">{site.name}</p>
        </div>
        {canWrite && (
          <Link to="/interactions/new" className="button button--primary">
            + New interaction
          </Link>
        )}
      </div>

      <div className="toolbar" role="search">
        <div className="search">
          <label htmlFor="finder-search" className="visually-hidden">
            Search interactions
          </label>
          <input
            ref={searchRef}
            id="finder-search"
            type="search"
            className="search__input"
            placeholder="Search title, lead, location, notes…  ( / )"
            value={search.value}
            onChange={(e) => search.setValue(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && search.flush()}
            autoComplete="off"
          />
        </div>
        {/* Past the toolbar's buttons straight to the first row. */}
        <a href="#finder-results" className="skip-inline" onClick={skipToResults}>
          Skip to results
        </a>
        <button
          type="button"
          className="button"
          aria-expanded={filtersOpen}
          aria-controls={filtersId}
          onClick={() => setFiltersOpen((o) => !o)}
        >
          Filters{filterCount > 0 && <span className="count-badge">{filterCount}</span>}
        </button>
        <ColumnsMenu
          visibility={columnVisibility}
          onChange={(v) => {
            setColumnVisibility(v);
            saveColumnVisibility(v);
          }}
        />
        <button type="button" className="button" onClick={() => void exporter.run()} disabled={exporter.exporting}>
          {exporter.exporting ? 'Exporting…' : 'Export CSV'}
        </button>
      </div>

      {filtersOpen && <FiltersPanel id={filtersId} controls={controls} />}
      <FilterChips controls={controls} />

      {result.isError && !firstLoad && data && (
        <p className="notice notice--error" role="alert">
          Could not refresh the list: {describeError(result.error)}{' '}
          <button type="button" className="link-button" onClick={() => void result.refetch()}>
            Try again
          </button>
        </p>
      )}

      {result.isError && !data ? (
        <div className="empty-state" role="alert">
          <h2>The interactions could not be loaded</h2>
          <p>{describeError(result.error)}</p>
          <div className="empty-state__actions">
            <button type="button" className="button button--primary" onClick={() => void result.refetch()}>
              Try again
            </button>
            {isApiError(result.error) && result.error.status === 400 && (
              <button type="button" className="button" onClick={reset}>
                Reset the view
              </button>
            )}
          </div>
        </div>
      ) : !firstLoad && rows.length === 0 && query.page === 1 ? (
        <div className="empty-state">
          {hasAnyCriteria(query) ? (
            <>
              <h2>No interactions match</h2>
              <p>Try fewer words or remove a filter.</p>
              <button type="button" className="button" onClick={reset}>
                Clear search and filters
              </button>
            </>
          ) : (
            <>
              <h2>No interactions yet at {site.name}</h2>
              {canWrite ? (
                <Link to="/interactions/new" className="button button--primary">
                  Record the first one
                </Link>
              ) : (
                <p>Nothing has been recorded here yet.</p>
              )}
            </>
          )}
        </div>
      ) : (
        <>
          <div className="results-bar">
            <ZoneSwitch display={zones.display} siteZone={zones.siteZone} onChange={zones.choose} />
            {pager('top')}
          </div>
          <div className="results" id="finder-results" tabIndex={-1}>
            {result.isFetching && !firstLoad && (
              <div className="progress" role="progressbar" aria-label="Updating results">
                <Spinner label="Updating results" />
              </div>
            )}
            <InteractionTable
              rows={rows}
              sort={query.sort}
              onSort={onSort}
              columnVisibility={columnVisibility}
              display={zones.display}
              skeletonRows={firstLoad ? Math.min(query.pageSize, 10) : 0}
              busy={result.isFetching}
            />
          </div>
          {pager('bottom')}
        </>
      )}
    </div>
  );
}
