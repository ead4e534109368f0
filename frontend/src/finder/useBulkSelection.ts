// The Finder's selection for bulk actions: rows of the page, or "all matching" the criteria. It is cleared whenever
// the criteria, the page or the site change, so it never holds rows the screen no longer shows.
import { useState } from 'react';
import { criteriaOf, selectAllMatching } from '../api/bulk';
import { describeError } from '../api/client';
import type { Interaction } from '../api/types';
import { useToast } from '../components/Toaster';
import { toApiParams, toFilterParams, type FinderQuery } from '../criteria/queryState';
import { announce } from '../shortcuts/announce';
import type { RowSelection } from './InteractionTable';
import { NO_SELECTION, isSelected, records, toggleRow, togglePage, type Selection } from './selection';

export function useBulkSelection(query: FinderQuery, siteId: number, page: readonly Interaction[]) {
  const toast = useToast();
  const [selection, setSelection] = useState<Selection>(NO_SELECTION);
  const [selectingAll, setSelectingAll] = useState(false);
  const key = `${siteId}:${JSON.stringify(toApiParams(query))}`;
  const [selectionKey, setSelectionKey] = useState(key);
  if (selectionKey !== key) {
    setSelectionKey(key);
    setSelection(NO_SELECTION);
  }

  const rows: RowSelection = {
    isSelected: (id) => isSelected(selection, id),
    onToggleRow: (row) => setSelection((current) => toggleRow(current, row, page)),
    onTogglePage: () => setSelection((current) => togglePage(current, page)),
  };

  const selectAll = async () => {
    setSelectingAll(true);
    try {
      const filters = criteriaOf(toFilterParams(query));
      const found = await selectAllMatching(filters);
      if (found.over_limit) {
        toast(`More than ${records(found.limit)} match: narrow the search to act on them at once.`, 'error');
        return;
      }
      setSelection({ mode: 'all', total: found.total, asOf: found.as_of, filters });
      announce(`All ${records(found.total)} matching selected`);
    } catch (error) {
      toast(`Could not select them: ${describeError(error)}`, 'error');
    } finally {
      setSelectingAll(false);
    }
  };

  return { selection, rows, selectAll, selectingAll, clear: () => setSelection(NO_SELECTION) };
}
