// The Finder's toolbar: search (debounced; "/" focuses it, see useFinderShortcuts), skip to results, filters toggle, columns,
// CSV export and, for editors and admins, the spreadsheet import.
import type { ReactNode, RefObject } from 'react';
import { Link } from 'react-router-dom';
import type { VisibilityState } from '@tanstack/react-table';
import { ColumnsMenu } from './ColumnsMenu';
import { activeFilterCount } from '../criteria/queryState';
import { SearchBox } from '../criteria/SearchBox';
import { useExport } from './useExport';
import type { FinderQueryControls } from '../criteria/useFinderQuery';
import { useSite } from '../session/SiteContext';

/** Past the toolbar's buttons straight to the first row. */
function skipToResults(event: React.MouseEvent<HTMLAnchorElement>) {
  event.preventDefault();
  const results = document.getElementById('finder-results');
  const target = results?.querySelector<HTMLElement>('a[data-row-link]') ?? results;
  target?.focus();
}

interface Props {
  controls: FinderQueryControls;
  /** The search box, for the "/" shortcut. */
  searchRef: RefObject<HTMLInputElement | null>;
  filtersId: string;
  filtersOpen: boolean;
  onToggleFilters: () => void;
  columnVisibility: VisibilityState;
  onColumnsChange: (visibility: VisibilityState) => void;
  /** The saved-views menu, beside the search box. */
  viewsMenu?: ReactNode;
}

export function FinderToolbar({ controls, searchRef, filtersId, filtersOpen, onToggleFilters, columnVisibility, onColumnsChange, viewsMenu }: Props) {
  const { query } = controls;
  const exporter = useExport(query);
  const filterCount = activeFilterCount(query);
  const { canWrite } = useSite();

  return (
    <div className="toolbar" role="search">
      <SearchBox controls={controls} inputRef={searchRef} />
      <a href="#finder-results" className="skip-inline" onClick={skipToResults}>
        Skip to results
      </a>
      {viewsMenu}
      <button type="button" className="button" aria-expanded={filtersOpen} aria-controls={filtersId} onClick={onToggleFilters}>
        Filters{filterCount > 0 && <span className="count-badge">{filterCount}</span>}
      </button>
      <ColumnsMenu visibility={columnVisibility} onChange={onColumnsChange} />
      <button type="button" className="button" onClick={() => void exporter.run()} disabled={exporter.exporting}>
        {exporter.exporting ? 'Exporting…' : 'Export CSV'}
      </button>
      {canWrite && (
        <Link to="/imports" className="button">
          Import
        </Link>
      )}
    </div>
  );
}
