// The Finder's rows: the display-zone switch and pagination around the sortable table.
import type { VisibilityState } from '@tanstack/react-table';
import { Pager } from '../components/Pager';
import { Spinner } from '../components/Spinner';
import { ZoneSwitch, type useDisplayZone } from './displayZone';
import { InteractionTable, type RowSelection } from './InteractionTable';
import { PAGE_SIZES, toggleSort } from '../criteria/queryState';
import type { FinderQueryControls } from '../criteria/useFinderQuery';
import type { FinderResult } from './useFinderResults';

interface Props {
  controls: FinderQueryControls;
  result: FinderResult;
  columnVisibility: VisibilityState;
  zones: ReturnType<typeof useDisplayZone>;
  /** Editors' checkboxes for bulk actions. */
  selection?: RowSelection;
}

export function FinderResults({ controls, result, columnVisibility, zones, selection }: Props) {
  const { query, update } = controls;
  const data = result.data;
  const rows = data?.items ?? [];
  const firstLoad = result.isPending;
  const pager = (placement: 'top' | 'bottom') =>
    data && (
      <Pager
        placement={placement}
        page={query.page}
        pageSize={query.pageSize}
        total={data.total}
        pages={data.pages}
        totalExact={data.total_exact}
        shown={rows.length}
        onPage={(page) => update({ page })}
        pageSizes={{ options: PAGE_SIZES, onChange: (pageSize) => update({ pageSize }) }}
      />
    );

  return (
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
          onSort={(field, multi) => update({ sort: toggleSort(query.sort, field, multi) })}
          columnVisibility={columnVisibility}
          display={zones.display}
          skeletonRows={firstLoad ? Math.min(query.pageSize, 10) : 0}
          busy={result.isFetching}
          selection={selection}
        />
      </div>
      {pager('bottom')}
    </>
  );
}
