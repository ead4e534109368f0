// The Finder's query as plain data: parsed from and written to the URL, and turned into API parameters.
import { INTERACTION_TYPES, type InteractionType } from '../api/types';
import type { FinderParams } from '../api/interactions';

export const SORTABLE_FIELDS = [
  'title',
  'type',
  'lead',
  'start_datetime',
  'end_datetime',
  'timezone',
  'location',
  'created_at',
  'updated_at',
] as const;
export type SortField = (typeof SORTABLE_FIELDS)[number];

export interface SortItem {
  field: SortField;
  desc: boolean;
}

export const PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;
export const DEFAULT_SORT: readonly SortItem[] = [{ field: 'start_datetime', desc: true }];

export interface FinderQuery {
  search: string;
  types: InteractionType[];
  lead: string;
  location: string;
  startFrom: string;
  startTo: string;
  sort: SortItem[];
  page: number;
  pageSize: number;
}

export const DEFAULT_QUERY: FinderQuery = {
  search: '',
  types: [],
  lead: '',
  location: '',
  startFrom: '',
  startTo: '',
  sort: [...DEFAULT_SORT],
  page: 1,
  pageSize: DEFAULT_PAGE_SIZE,
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isSortField = (f: string): f is SortField => (SORTABLE_FIELDS as readonly string[]).includes(f);
const isType = (t: string): t is InteractionType => (INTERACTION_TYPES as readonly string[]).includes(t);

export function parseSort(value: string | null): SortItem[] {
  if (value === null) return [...DEFAULT_SORT];
  const seen = new Set<string>();
  const items: SortItem[] = [];
  for (const part of value.split(',')) {
    const token = part.trim();
    const desc = token.startsWith('-');
    const field = desc ? token.slice(1) : token;
    if (!isSortField(field) || seen.has(field)) continue;
    seen.add(field);
    items.push({ field, desc });
  }
  return items.length ? items : [...DEFAULT_SORT];
}

export const serializeSort = (sort: readonly SortItem[]): string =>
  sort.map((s) => `${s.desc ? '-' : ''}${s.field}`).join(',');

function positiveInt(value: string | null, fallback: number): number {
  if (value === null || !/^\d+$/.test(value)) return fallback;
  const n = Number(value);
  return n >= 1 ? n : fallback;
}

/** Reads the query from the URL, forgiving anything a hand-edited link may contain. */
export function parseQuery(params: URLSearchParams): FinderQuery {
  const pageSize = positiveInt(params.get('page_size'), DEFAULT_PAGE_SIZE);
  const date = (key: string) => {
    const v = params.get(key) ?? '';
    return DATE.test(v) ? v : '';
  };
  return {
    search: params.get('search') ?? '',
    types: [...new Set(params.getAll('type').filter(isType))],
    lead: params.get('lead') ?? '',
    location: params.get('location') ?? '',
    startFrom: date('start_from'),
    startTo: date('start_to'),
    sort: parseSort(params.get('sort')),
    page: positiveInt(params.get('page'), 1),
    pageSize: (PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE,
  };
}

/** Writes only what differs from the defaults, so links stay short and stable. */
export function serializeQuery(query: FinderQuery): URLSearchParams {
  const out = new URLSearchParams();
  if (query.search.trim()) out.set('search', query.search);
  query.types.forEach((t) => out.append('type', t));
  if (query.lead.trim()) out.set('lead', query.lead);
  if (query.location.trim()) out.set('location', query.location);
  if (query.startFrom) out.set('start_from', query.startFrom);
  if (query.startTo) out.set('start_to', query.startTo);
  const sort = serializeSort(query.sort);
  if (sort && sort !== serializeSort(DEFAULT_SORT)) out.set('sort', sort);
  if (query.page > 1) out.set('page', String(query.page));
  if (query.pageSize !== DEFAULT_PAGE_SIZE) out.set('page_size', String(query.pageSize));
  return out;
}

/** Filter parameters only (no paging), as both the list and the CSV export take them. */
export function toFilterParams(query: FinderQuery): FinderParams {
  return {
    search: query.search.trim(),
    type: query.types,
    lead: query.lead.trim(),
    location: query.location.trim(),
    start_from: query.startFrom,
    start_to: query.startTo,
    sort: serializeSort(query.sort),
  };
}

export const toApiParams = (query: FinderQuery): FinderParams => ({
  ...toFilterParams(query),
  page: query.page,
  page_size: query.pageSize,
});

export const activeFilterCount = (q: FinderQuery): number =>
  (q.types.length ? 1 : 0) + (q.lead.trim() ? 1 : 0) + (q.location.trim() ? 1 : 0) + (q.startFrom || q.startTo ? 1 : 0);

export const hasAnyCriteria = (q: FinderQuery): boolean => q.search.trim() !== '' || activeFilterCount(q) > 0;

/**
 * Header click: a plain click sorts by that column alone (asc → desc → back to default);
 * shift-click adds the column to the sort or flips/removes it in place (multi-sort).
 */
export function toggleSort(current: readonly SortItem[], field: SortField, multi: boolean): SortItem[] {
  const existing = current.find((s) => s.field === field);
  if (!multi) {
    if (!existing || current.length > 1) return [{ field, desc: existing ? !existing.desc : false }];
    if (!existing.desc) return [{ field, desc: true }];
    return field === DEFAULT_SORT[0]?.field ? [{ field, desc: false }] : [...DEFAULT_SORT];
  }
  if (!existing) return [...current, { field, desc: false }];
  if (!existing.desc) return current.map((s) => (s.field === field ? { field, desc: true } : s));
  const rest = current.filter((s) => s.field !== field);
  return rest.length ? rest : [...DEFAULT_SORT];
}

/** Any change of criteria sends the user back to page 1; paging alone keeps the criteria. */
export function applyChange(query: FinderQuery, change: Partial<FinderQuery>): FinderQuery {
  const next = { ...query, ...change };
  const pagingOnly = Object.keys(change).every((k) => k === 'page');
  if (!pagingOnly) next.page = change.page ?? 1;
  return next;
}
