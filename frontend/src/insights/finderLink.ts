// Every chart element opens the Finder with exactly its records: the page's criteria plus the element's own filters.
import { FINDER_FILTERS } from '../api/interactionFields';
import { applyChange, serializeQuery, type FilterValues, type FinderQuery } from '../criteria/queryState';
import { finderUrl } from '../lib/finderLink';

export const finderLink = (query: FinderQuery, filters: FilterValues): string =>
  finderUrl(serializeQuery(applyChange(query, { filters, page: 1 })).toString());

const EXACT_PARAMS: Readonly<Record<string, string | undefined>> = Object.fromEntries(
  FINDER_FILTERS.filter((filter) => filter.by === 'exact').map((filter) => [filter.field, filter.params[0]]),
);

/**
 * A bar's own filter: the whole name, case and accents aside, as the insights group it. The substring filter would
 * also find the names containing it ("Ana" in "Anabel" and "Diana"), more records than the bar counts.
 */
export function exactly(field: string, name: string): FilterValues {
  const param = EXACT_PARAMS[field];
  if (!param) throw new Error(`The field list gives ${field} no exact filter.`);
  return { [param]: name };
}
