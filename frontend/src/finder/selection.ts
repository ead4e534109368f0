// What the Finder has selected for a bulk action: rows of the page (each with the version it was selected at), or
// every record matching the criteria as of a moment the server gave. Pure functions, so the bar and the table agree.
import type { BulkTarget } from '../api/bulk';
import type { FinderFilters } from '../api/interactions';
import type { Interaction } from '../api/types';

export type Selection =
  | { mode: 'rows'; rows: Readonly<Record<string, number>> }
  | { mode: 'all'; total: number; asOf: string; filters: FinderFilters };

export const NO_SELECTION: Selection = { mode: 'rows', rows: {} };

/** How many records the action would reach. */
export const selectedCount = (selection: Selection): number =>
  selection.mode === 'all' ? selection.total : Object.keys(selection.rows).length;

export const isSelected = (selection: Selection, id: number): boolean =>
  selection.mode === 'all' || String(id) in selection.rows;

/** One row in or out; choosing a row while "all matching" is on starts again from the page's rows. */
export function toggleRow(selection: Selection, row: Pick<Interaction, 'id' | 'version'>, page: readonly Interaction[]): Selection {
  const rows = selection.mode === 'all' ? Object.fromEntries(page.map((r) => [String(r.id), r.version])) : { ...selection.rows };
  const key = String(row.id);
  if (key in rows) delete rows[key];
  else rows[key] = row.version;
  return { mode: 'rows', rows };
}

/** The header checkbox: every row of the page when some are not selected, none when all are. */
export function togglePage(selection: Selection, page: readonly Interaction[]): Selection {
  if (pageState(selection, page) === 'all') return NO_SELECTION;
  return { mode: 'rows', rows: Object.fromEntries(page.map((r) => [String(r.id), r.version])) };
}

/** The header checkbox's look: none, some (indeterminate) or all of the page's rows. */
export function pageState(selection: Selection, page: readonly Interaction[]): 'none' | 'some' | 'all' {
  if (page.length === 0) return 'none';
  const chosen = page.filter((row) => isSelected(selection, row.id)).length;
  return chosen === 0 ? 'none' : chosen === page.length ? 'all' : 'some';
}

/** The request's target: the rows with their versions, or the criteria with the selection's moment. */
export function targetOf(selection: Selection): BulkTarget {
  if (selection.mode === 'all') return { query: selection.filters, as_of: selection.asOf };
  return { ids: Object.entries(selection.rows).map(([id, version]) => ({ id: Number(id), version })) };
}

/** "3 records", "1 record". */
export const records = (count: number): string => `${count.toLocaleString('en')} record${count === 1 ? '' : 's'}`;
