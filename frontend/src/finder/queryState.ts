// The Finder's query as plain data: parsed from and written to the URL, and turned into API parameters.
import { INTERACTION_TYPES, SORTABLE_FIELDS, type InteractionType, type SortField } from '../api/interactionFields';
import type { FinderFilters, FinderParams } from '../api/interactions';

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

/** The one mapping between the query's names and the parameters the URL and the API share. */
const PARAM = {
  search: 'search',
  types: 'type',
  lead: 'lead',
  location: 'location',
  startFrom: 'start_from',
  startTo: 'start_to',
  sort: 'sort',
  page: 'page',
  pageSize: 'page_size',
} as const satisfies Record<keyof FinderQuery, keyof FinderParams>;

/** Reads the query from the URL, forgiving anything a hand-edited link may contain. */
export function parseQuery(params: URLSearchParams): FinderQuery {
  const get = (key: keyof FinderQuery) => params.get(PARAM[key]);
  const date = (value: string | null) => (value !== null && DATE.test(value) ? value : '');
  const pageSize = positiveInt(get('pageSize'), DEFAULT_PAGE_SIZE);
  return {
    search: get('search') ?? '',
    types: [...new Set(params.getAll(PARAM.types).filter(isType))],
    lead: get('lead') ?? '',
    location: get('location') ?? '',
    startFrom: date(get('startFrom')),
    startTo: date(get('startTo')),
    sort: parseSort(get('sort')),
    page: positiveInt(get('page'), 1),
    pageSize: (PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE,
  };
}

/** The query under the parameter names, in the URL's order; text as typed. */
function toParams(query: FinderQuery): FinderParams {
  const values = { ...query, sort: serializeSort(query.sort) };
  const renamed = Object.entries(values).map(([key, value]) => [PARAM[key as keyof FinderQuery], value]);
  return Object.fromEntries(renamed) as unknown as FinderParams;
}

/** Writes only what differs from the defaults, so links stay short and stable. */
export function serializeQuery(query: FinderQuery): URLSearchParams {
  const defaults: Record<string, unknown> = toParams(DEFAULT_QUERY);
  const out = new URLSearchParams();
  for (const [name, value] of Object.entries(toParams(query))) {
    if (Array.isArray(value)) value.forEach((v) => out.append(name, String(v)));
    else if (String(value).trim() !== '' && value !== defaults[name]) out.set(name, String(value));
  }
  return out;
}

/** The URL's query string without its page: the same criteria, from the first page. */
/** What the API gets: the whole query, text trimmed. */
export const toApiParams = (query: FinderQuery): FinderParams =>
  toParams({ ...query, search: query.search.trim(), lead: query.lead.trim(), location: query.location.trim() });

/** The criteria only (no paging), as the CSV export takes them. */
export function toFilterParams(query: FinderQuery): FinderFilters {
  const params: Partial<FinderParams> = toApiParams(query);
  delete params.page;
  delete params.page_size;
  return params;
}

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
