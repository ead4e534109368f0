// The Finder's toolbar: search (debounced, "/" to focus), skip to results, filters toggle, columns and CSV export.
import { useEffect, useRef } from 'react';
import type { VisibilityState } from '@tanstack/react-table';
import { ColumnsMenu } from './ColumnsMenu';
import { activeFilterCount } from './queryState';
import { SearchBox } from './SearchBox';
import { useExport } from './useExport';
import type { FinderQueryControls } from './useFinderQuery';

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

/** Past the toolbar's buttons straight to the first row. */
function skipToResults(event: React.MouseEvent<HTMLAnchorElement>) {
  event.preventDefault();
  const results = document.getElementById('finder-results');
  const target = results?.querySelector<HTMLElement>('a[data-row-link]') ?? results;
  target?.focus();
}

interface Props {
  controls: FinderQueryControls;
  filtersId: string;
  filtersOpen: boolean;
  onToggleFilters: () => void;
  columnVisibility: VisibilityState;
  onColumnsChange: (visibility: VisibilityState) => void;
}

export function FinderToolbar({ controls, filtersId, filtersOpen, onToggleFilters, columnVisibility, onColumnsChange }: Props) {
  const { query } = controls;
  const searchRef = useRef<HTMLInputElement>(null);
  const exporter = useExport(query);
  const filterCount = activeFilterCount(query);
  useSlashToSearch(searchRef);

  return (
    <div className="toolbar" role="search">
      <SearchBox controls={controls} inputRef={searchRef} />
      <a href="#finder-results" className="skip-inline" onClick={skipToResults}>
        Skip to results
      </a>
      <button type="button" className="button" aria-expanded={filtersOpen} aria-controls={filtersId} onClick={onToggleFilters}>
        Filters{filterCount > 0 && <span className="count-badge">{filterCount}</span>}
      </button>
      <ColumnsMenu visibility={columnVisibility} onChange={onColumnsChange} />
      <button type="button" className="button" onClick={() => void exporter.run()} disabled={exporter.exporting}>
        {exporter.exporting ? 'Exporting…' : 'Export CSV'}
      </button>
    </div>
  );
}
