// The Finder's query as plain data (the insights page reads the same): parsed from and written to the URL, and
// turned into API parameters. Its filters are the field list's (FINDER_FILTERS), their values keyed by the parameter
// the URL and the API share.
import { FINDER_FILTERS, SORTABLE_FIELDS, type SortField } from '../api/interactionFields';
import { CLOCK_PARAMS, type FinderFilter } from '../api/fieldList';
import type { FinderFilters, FinderParams } from '../api/interactions';

export interface SortItem {
  field: SortField;
  desc: boolean;
}

export const PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;
export const DEFAULT_SORT: readonly SortItem[] = [{ field: 'start_datetime', desc: true }];

/** Each filter parameter's value: the chosen options of an any-of filter, the text or date of the others. */
export type FilterValues = Readonly<Record<string, string | readonly string[]>>;

export interface FinderQuery {
  search: string;
  filters: FilterValues;
  sort: SortItem[];
  page: number;
  pageSize: number;
}

/** A change to the query; `filters` names only the parameters that change. */
export type FinderChange = Partial<Omit<FinderQuery, 'filters'>> & { filters?: FilterValues };

export const textOf = (values: FilterValues, param: string): string => {
  const value = values[param];
  return typeof value === 'string' ? value : '';
};
export const listOf = (values: FilterValues, param: string): readonly string[] => {
  const value = values[param];
  return Array.isArray(value) ? (value as readonly string[]) : [];
};
const isSet = (value: string | readonly string[] | undefined) =>
  typeof value === 'string' ? value.trim() !== '' : (value?.length ?? 0) > 0;

/** Every filter off: no option chosen, every text and date empty. */
export const noFilters = (filters: readonly FinderFilter[] = FINDER_FILTERS): FilterValues =>
  Object.fromEntries(filters.flatMap((f) => f.params.map((param) => [param, f.by === 'anyOf' ? [] : ''])));

export const defaultQuery = (filters: readonly FinderFilter[] = FINDER_FILTERS): FinderQuery => ({
  search: '',
  filters: noFilters(filters),
  sort: [...DEFAULT_SORT],
  page: 1,
  pageSize: DEFAULT_PAGE_SIZE,
});

export const DEFAULT_QUERY: FinderQuery = defaultQuery();

// A date as the date input gives it, or a datetime with offset (an insights bar names its week in the viewer's zone).
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const CLOCK: Readonly<Record<string, RegExp>> = { [CLOCK_PARAMS.weekday]: /^[1-7]$/, [CLOCK_PARAMS.hour]: /^(1?\d|2[0-3])$/ };
const isSortField = (f: string): f is SortField => (SORTABLE_FIELDS as readonly string[]).includes(f);

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

/** A clock filter is in use when it names a weekday or an hour; its zone goes along only then. */
const clockSet = (values: FilterValues) => isSet(values[CLOCK_PARAMS.weekday]) || isSet(values[CLOCK_PARAMS.hour]);

/** A clock filter's weekday and hour if they are ones a week and a day have, and its zone only with one of them. */
function readClock(filter: FinderFilter, params: URLSearchParams): [string, string][] {
  const read = filter.params.map((param): [string, string] => {
    const value = params.get(param) ?? '';
    return [param, param in CLOCK && !CLOCK[param]!.test(value) ? '' : value];
  });
  const set = clockSet(Object.fromEntries(read));
  return read.map(([param, value]) => [param, param === CLOCK_PARAMS.zone && !set ? '' : value]);
}

/** A filter's values as the URL holds them; anything a hand-edited link may contain is dropped. */
function readFilter(filter: FinderFilter, params: URLSearchParams): [string, string | readonly string[]][] {
  if (filter.by === 'clock') return readClock(filter, params);
  return filter.params.map((param) => {
    // Options in the field's order, so the same selection always reads (and writes) the same.
    if (filter.by === 'anyOf') return [param, filter.options.filter((option) => params.getAll(param).includes(option))];
    const value = params.get(param) ?? '';
    return [param, filter.by === 'range' && !DATE.test(value) ? '' : value];
  });
}

/** Reads the query from the URL, forgiving anything a hand-edited link may contain. */
export function parseQuery(params: URLSearchParams, filters: readonly FinderFilter[] = FINDER_FILTERS): FinderQuery {
  const pageSize = positiveInt(params.get('page_size'), DEFAULT_PAGE_SIZE);
  return {
    search: params.get('search') ?? '',
    filters: Object.fromEntries(filters.flatMap((filter) => readFilter(filter, params))),
    sort: parseSort(params.get('sort')),
    page: positiveInt(params.get('page'), 1),
    pageSize: (PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE,
  };
}

/** The query under the parameter names, in the URL's order; `text` says how texts are sent. */
function toParams(query: FinderQuery, filters: readonly FinderFilter[], text = (value: string) => value): FinderParams {
  const value = (filter: FinderFilter, param: string) => {
    if (filter.by === 'anyOf') return listOf(query.filters, param);
    // A zone alone says nothing: it is sent with a weekday or an hour only.
    if (filter.by === 'clock' && param === CLOCK_PARAMS.zone && !clockSet(query.filters)) return '';
    const given = textOf(query.filters, param);
    // A whole name is matched as stored, spaces and all (a location may end in one); a blank one is no filter.
    if (filter.by === 'exact') return isSet(given) ? given : '';
    return text(given);
  };
  const values = filters.flatMap((filter) => filter.params.map((param) => [param, value(filter, param)]));
  return {
    search: text(query.search),
    ...Object.fromEntries(values),
    sort: serializeSort(query.sort),
    page: query.page,
    page_size: query.pageSize,
  };
}

/** Writes only what differs from the defaults, so links stay short and stable. */
export function serializeQuery(query: FinderQuery, filters: readonly FinderFilter[] = FINDER_FILTERS): URLSearchParams {
  const defaults: Record<string, unknown> = toParams(defaultQuery(filters), filters);
  const out = new URLSearchParams();
  for (const [name, value] of Object.entries(toParams(query, filters))) {
    if (Array.isArray(value)) value.forEach((v) => out.append(name, String(v)));
    else if (String(value).trim() !== '' && value !== defaults[name]) out.set(name, String(value));
  }
  return out;
}

/** The URL's query string without its page: the same criteria, from the first page. */
/** What the API gets: the whole query, texts trimmed. */
export const toApiParams = (query: FinderQuery, filters: readonly FinderFilter[] = FINDER_FILTERS): FinderParams =>
  toParams(query, filters, (value) => value.trim());

/** The criteria only (no paging), as the CSV export takes them. */
export function toFilterParams(query: FinderQuery): FinderFilters {
  const params: Partial<FinderParams> = toApiParams(query);
  delete params.page;
  delete params.page_size;
  return params;
}

/** Filters in use (search is not a filter; a range counts once). */
export const activeFilters = (q: FinderQuery, filters: readonly FinderFilter[] = FINDER_FILTERS): FinderFilter[] =>
  filters.filter((filter) => (filter.by === 'clock' ? clockSet(q.filters) : filter.params.some((param) => isSet(q.filters[param]))));

export const activeFilterCount = (q: FinderQuery): number => activeFilters(q).length;

export const hasAnyCriteria = (q: FinderQuery, filters: readonly FinderFilter[] = FINDER_FILTERS): boolean =>
  q.search.trim() !== '' || activeFilters(q, filters).length > 0;

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
export function applyChange(query: FinderQuery, change: FinderChange): FinderQuery {
  const next = { ...query, ...change, filters: { ...query.filters, ...change.filters } };
  const pagingOnly = Object.keys(change).every((k) => k === 'page');
  if (!pagingOnly) next.page = change.page ?? 1;
  return next;
}
