import { describe, expect, it } from 'vitest';
import { firstPageOf } from '../lib/finderLink';
import {
  DEFAULT_QUERY,
  activeFilterCount,
  applyChange,
  parseQuery,
  serializeQuery,
  toApiParams,
  toFilterParams,
  toggleSort,
  type FinderQuery,
} from './queryState';

const parse = (s: string) => parseQuery(new URLSearchParams(s));
/** The default query with these filters set. */
const filtered = (filters: FinderQuery['filters'], rest: Partial<FinderQuery> = {}): FinderQuery => ({
  ...DEFAULT_QUERY,
  ...rest,
  filters: { ...DEFAULT_QUERY.filters, ...filters },
});

describe('Finder query state in the URL', () => {
  it('reads an empty URL as the default view', () => {
    expect(parse('')).toEqual(DEFAULT_QUERY);
  });

  it('writes nothing for the default view, so the bare Finder link stays bare', () => {
    expect(serializeQuery(DEFAULT_QUERY).toString()).toBe('');
  });

  it('round-trips every part of a query through the URL', () => {
    const query: FinderQuery = {
      search: 'budget review',
      filters: {
        type: ['Meeting', 'Call'],
        lead: 'Ana',
        location: 'Berlin',
        lead_is: 'Ana Lima',
        location_is: 'Berlin Mitte',
        start_from: '2026-01-01',
        start_to: '2026-12-31T23:59:59.999999+01:00',
        weekday: '2',
        hour: '0',
        tz: 'Europe/Berlin',
      },
      sort: [
        { field: 'type', desc: false },
        { field: 'start_datetime', desc: true },
      ],
      page: 3,
      pageSize: 50,
    };
    const url = serializeQuery(query).toString();
    expect(url).toBe(
      'search=budget+review&type=Meeting&type=Call&lead=Ana&location=Berlin&lead_is=Ana+Lima&location_is=Berlin+Mitte&start_from=2026-01-01&start_to=2026-12-31T23%3A59%3A59.999999%2B01%3A00&weekday=2&hour=0&tz=Europe%2FBerlin&sort=type%2C-start_datetime&page=3&page_size=50',
    );
    expect(parse(url)).toEqual(query);
  });

  it('forgives a hand-edited link: unknown types, fields, pages and sizes fall back to defaults', () => {
    const q = parse('type=Meeting&type=Party&sort=-password,title,title&page=-2&page_size=7&start_from=yesterday');
    expect(q.filters.type).toEqual(['Meeting']);
    expect(q.sort).toEqual([{ field: 'title', desc: false }]);
    expect(q.page).toBe(1);
    expect(q.pageSize).toBe(25);
    expect(q.filters.start_from).toBe('');
  });

  it('keeps a weekday and hour only when a week and a day have them, and their zone only with one of them', () => {
    expect(parse('weekday=8&hour=24&tz=UTC').filters).toMatchObject({ weekday: '', hour: '', tz: '' });
    expect(parse('weekday=0&hour=-1').filters).toMatchObject({ weekday: '', hour: '' });
    expect(parse('hour=23&tz=Asia/Kolkata').filters).toMatchObject({ weekday: '', hour: '23', tz: 'Asia/Kolkata' });
    expect(parse('weekday=7').filters).toMatchObject({ weekday: '7', hour: '', tz: '' });
    expect(serializeQuery(filtered({ tz: 'Europe/Berlin' })).toString()).toBe('');
    expect(activeFilterCount(filtered({ weekday: '1', hour: '9', tz: 'UTC' }))).toBe(1);
    expect(activeFilterCount(filtered({ tz: 'UTC' }))).toBe(0);
  });

  it('sends an exact lead or location whole, spaces and all, and a blank one not at all', () => {
    const exact = filtered({ lead_is: 'Ana ', location_is: '  ' });
    expect(serializeQuery(exact).toString()).toBe('lead_is=Ana+');
    expect(parse('lead_is=Ana+').filters.lead_is).toBe('Ana ');
    const sent = toApiParams(filtered({ lead: ' Ana ', lead_is: ' Ana ', location_is: '  ' }));
    expect([sent.lead, sent.lead_is, sent.location_is]).toEqual(['Ana', ' Ana ', '']);
    expect(activeFilterCount(exact)).toBe(1);
  });

  it('takes a range bound as a date or a datetime with offset, nothing else', () => {
    expect(parse('start_from=2026-05-04T00:00:00%2B02:00&start_to=2026-05-10T23:59Z').filters).toMatchObject({
      start_from: '2026-05-04T00:00:00+02:00',
      start_to: '2026-05-10T23:59Z',
    });
    expect(parse('start_from=2026-05-04T00:00&start_to=2026-05-10 10:00').filters).toMatchObject({ start_from: '', start_to: '' });
  });

  it('falls back to the default sort when no sort field is valid', () => {
    expect(parse('sort=nope').sort).toEqual([{ field: 'start_datetime', desc: true }]);
  });

  it('sends repeated type parameters and paging to the API', () => {
    const params = toApiParams(filtered({ type: ['Call', 'Visit'] }, { search: '  spaced  ' }));
    expect(params).toMatchObject({ type: ['Call', 'Visit'], search: 'spaced', sort: '-start_datetime', page: 1, page_size: 25 });
  });

  it('sends the criteria without paging to the CSV export', () => {
    const filters = toFilterParams(filtered({ lead: ' Ana ', location_is: 'Room 4' }, { page: 3, pageSize: 50 }));
    expect(filters).toEqual({
      search: '', type: [], lead: 'Ana', location: '', lead_is: '', location_is: 'Room 4', start_from: '', start_to: '', weekday: '', hour: '', tz: '', sort: '-start_datetime',
    });
  });

  it('drops only the page from a Finder URL (a site switch keeps the criteria)', () => {
    expect(firstPageOf('type=Call&page=3&sort=title')).toBe('type=Call&sort=title');
    expect(firstPageOf('page=2')).toBe('');
  });

  it('goes back to page 1 when the criteria change, but not when only the page changes', () => {
    const onPage4 = { ...DEFAULT_QUERY, page: 4 };
    expect(applyChange(onPage4, { filters: { lead: 'Ana' } }).page).toBe(1);
    expect(applyChange(onPage4, { page: 5 }).page).toBe(5);
    expect(applyChange(onPage4, { pageSize: 100 }).page).toBe(1);
  });

  it('counts active filters (search is not a filter)', () => {
    expect(activeFilterCount({ ...DEFAULT_QUERY, search: 'x' })).toBe(0);
    expect(activeFilterCount(filtered({ type: ['Call'], start_to: '2026-01-01', lead: 'A' }))).toBe(3);
  });
});

describe('sorting by header clicks', () => {
  const byTitle = [{ field: 'title' as const, desc: false }];

  it('a click sorts by that column ascending, a second click descending, a third restores the default', () => {
    const first = toggleSort(DEFAULT_QUERY.sort, 'title', false);
    expect(first).toEqual(byTitle);
    const second = toggleSort(first, 'title', false);
    expect(second).toEqual([{ field: 'title', desc: true }]);
    expect(toggleSort(second, 'title', false)).toEqual(DEFAULT_QUERY.sort);
  });

  it('shift-click adds a column to the sort, flips it, then removes it', () => {
    const two = toggleSort(byTitle, 'lead', true);
    expect(two).toEqual([...byTitle, { field: 'lead', desc: false }]);
    const flipped = toggleSort(two, 'lead', true);
    expect(flipped).toEqual([...byTitle, { field: 'lead', desc: true }]);
    expect(toggleSort(flipped, 'lead', true)).toEqual(byTitle);
  });

  it('a plain click on a multi-sort collapses it to the clicked column', () => {
    const multi = [...byTitle, { field: 'lead' as const, desc: true }];
    expect(toggleSort(multi, 'lead', false)).toEqual([{ field: 'lead', desc: false }]);
  });
});
