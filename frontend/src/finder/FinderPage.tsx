// The Finder: search, filters, sortable paginated table of the current site's interactions, CSV export.
import { useCallback, useId, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import type { VisibilityState } from '@tanstack/react-table';
import { PageHead } from '../components/PageHead';
import { useSite } from '../session/SiteContext';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { loadColumnVisibility, saveColumnVisibility } from './ColumnsMenu';
import { HIDEABLE_COLUMNS } from './columns';
import { useDisplayZone, type ZoneMode } from './displayZone';
import { FiltersPanel } from '../criteria/FiltersPanel';
import { FilterChips } from '../criteria/FilterChips';
import { FinderResults } from './FinderResults';
import { LoadFailed, NoResults, RefreshFailed } from './FinderStatus';
import { FinderToolbar } from './FinderToolbar';
import { activeFilterCount } from '../criteria/queryState';
import { useFinderQuery } from '../criteria/useFinderQuery';
import { useFinderResults } from './useFinderResults';
import { useFinderShortcuts } from './useFinderShortcuts';
import type { ApplyExtras } from './views/useSavedViews';
import { ViewsMenu } from './views/ViewsMenu';
import { BulkBar } from './BulkBar';
import { BulkReport } from './BulkReport';
import { selectedCount } from './selection';
import { useBulkAction } from './useBulkAction';
import { useBulkSelection } from './useBulkSelection';
import { useToast } from '../components/Toaster';
import { describeError } from '../api/client';
import type { BulkRequest } from '../api/bulk';

export function FinderPage() {
  const controls = useFinderQuery();
  const { query } = controls;
  const { site, canWrite } = useSite();
  const filtersId = useId();
  const searchRef = useRef<HTMLInputElement>(null);
  useFinderShortcuts(searchRef, canWrite);
  const [filtersOpen, setFiltersOpen] = useState(() => activeFilterCount(query) > 0);
  const [columnVisibility, setColumnVisibility] = useState<VisibilityState>(loadColumnVisibility);
  const zones = useDisplayZone(site.default_timezone);
  const { choose: chooseZone } = zones;
  const changeColumns = useCallback((v: VisibilityState) => {
    setColumnVisibility(v);
    saveColumnVisibility(v);
  }, []);
  // A saved view brings its columns and zone with it (the rest of its state is the URL).
  const applyView = useCallback<ApplyExtras>(({ columns, zone }) => {
    if (columns) changeColumns(Object.fromEntries(HIDEABLE_COLUMNS.map(({ id }) => [id, columns.includes(id)])));
    if (zone) chooseZone(zone as ZoneMode);
  }, [changeColumns, chooseZone]);
  const viewExtras = {
    columns: HIDEABLE_COLUMNS.filter(({ id }) => columnVisibility[id] !== false).map(({ id }) => id),
    zone: zones.display.mode,
  };
  const result = useFinderResults(controls);
  const { data } = result;
  const firstLoad = result.isPending;
  const toast = useToast();
  const bulk = useBulkAction();
  const chosen = useBulkSelection(query, site.id, data?.items ?? []);
  const runBulk = (request: BulkRequest) => {
    bulk.start(request).then(chosen.clear, (error: unknown) => toast(`The action failed: ${describeError(error)}`, 'error'));
  };
  useDocumentTitle(query.search.trim() ? `“${query.search.trim()}” – ${site.name}` : site.name);

  return (
    <div className="finder">
      <PageHead title="Interactions" subtitle={site.name}>
        {canWrite && (
          <Link to="/interactions/new" className="button button--primary">
            + New interaction
          </Link>
        )}
      </PageHead>

      <FinderToolbar
        controls={controls}
        searchRef={searchRef}
        filtersId={filtersId}
        filtersOpen={filtersOpen}
        onToggleFilters={() => setFiltersOpen((o) => !o)}
        columnVisibility={columnVisibility}
        onColumnsChange={changeColumns}
        viewsMenu={<ViewsMenu extras={viewExtras} applyExtras={applyView} />}
      />
      {filtersOpen && <FiltersPanel id={filtersId} controls={controls} />}
      <FilterChips controls={controls} />
      {canWrite && selectedCount(chosen.selection) > 0 && (
        <BulkBar
          selection={chosen.selection}
          pageRows={data?.items.length ?? 0}
          matching={data?.total_exact ? data.total : null}
          onSelectAll={() => void chosen.selectAll()}
          onSelectPage={chosen.rows.onTogglePage}
          selectingAll={chosen.selectingAll}
          onClear={chosen.clear}
          onRun={runBulk}
          busy={bulk.running}
        />
      )}
      {bulk.report && (
        <BulkReport job={bulk.report} bulk={bulk} />
      )}

      {result.isError && !firstLoad && data && <RefreshFailed result={result} />}
      {result.isError && !data ? (
        <LoadFailed result={result} onReset={controls.reset} />
      ) : !firstLoad && (data?.items.length ?? 0) === 0 && query.page === 1 ? (
        <NoResults controls={controls} />
      ) : (
        <FinderResults
          controls={controls}
          result={result}
          columnVisibility={columnVisibility}
          zones={zones}
          selection={canWrite ? chosen.rows : undefined}
        />
      )}
    </div>
  );
}
