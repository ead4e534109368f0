// What the Finder offers today, read from the lists it is built from: the field list, its columns and its page sizes.
import type { FinderParams } from '../../api/interactions';
import { INTERACTION_TYPES, SORTABLE_FIELDS } from '../../api/interactionFields';
import { HIDEABLE_COLUMNS } from '../columns';
import type { ZoneMode } from '../displayZone';
import { DEFAULT_PAGE_SIZE, DEFAULT_SORT, PAGE_SIZES, serializeSort } from '../queryState';
import type { FinderCatalogue } from './viewParams';

/** Every parameter of the Finder's query: the compiler fails here when one is added or removed. */
const PARAM_NAMES = {
  search: true,
  type: true,
  lead: true,
  location: true,
  start_from: true,
  start_to: true,
  sort: true,
  page: true,
  page_size: true,
} as const satisfies Record<keyof FinderParams, true>;

const ZONES = ['viewer', 'site', 'record'] as const satisfies readonly ZoneMode[];

export const finderCatalogue: FinderCatalogue = {
  params: Object.keys(PARAM_NAMES),
  types: INTERACTION_TYPES,
  sortFields: SORTABLE_FIELDS,
  pageSizes: PAGE_SIZES,
  columns: HIDEABLE_COLUMNS.map((c) => c.id),
  zones: ZONES,
  defaults: { sort: serializeSort(DEFAULT_SORT), page_size: String(DEFAULT_PAGE_SIZE) },
};
