// What the Finder offers today, read from the lists it is built from: the field list's filters, its columns,
// the sortable fields and the page sizes.
import { FINDER_FILTERS, SORTABLE_FIELDS } from '../../api/interactionFields';
import { HIDEABLE_COLUMNS } from '../columns';
import type { ZoneMode } from '../displayZone';
import { DEFAULT_PAGE_SIZE, DEFAULT_SORT, PAGE_SIZES, serializeSort } from '../../criteria/queryState';
import type { FinderCatalogue } from './viewParams';

const ZONES = ['viewer', 'site', 'record'] as const satisfies readonly ZoneMode[];

export const finderCatalogue: FinderCatalogue = {
  params: ['search', ...FINDER_FILTERS.flatMap((filter) => filter.params), 'sort', 'page', 'page_size'],
  options: Object.fromEntries(FINDER_FILTERS.filter((filter) => filter.by === 'anyOf').map((filter) => [filter.params[0], filter.options])),
  sortFields: SORTABLE_FIELDS,
  pageSizes: PAGE_SIZES,
  columns: HIDEABLE_COLUMNS.map((c) => c.id),
  zones: ZONES,
  defaults: { sort: serializeSort(DEFAULT_SORT), page_size: String(DEFAULT_PAGE_SIZE) },
};
