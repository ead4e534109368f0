import { describe, expect, it } from 'vitest';
import { finderCatalogue } from './catalogue';
import { currentParams, openView, sameView, type FinderCatalogue } from './viewParams';

const catalogue: FinderCatalogue = {
  params: ['search', 'type', 'sort', 'page', 'page_size'],
  options: { type: ['Call', 'Visit'] },
  sortFields: ['title', 'start_datetime'],
  pageSizes: [25, 50],
  columns: ['type', 'lead', 'notes'],
  zones: ['viewer', 'record'],
  defaults: { sort: '-start_datetime', page_size: '25' },
};

describe('opening a saved view', () => {
  it('puts back every parameter the Finder still offers, with the columns and the zone', () => {
    const opened = openView(
      { search: ['budget'], type: ['Call', 'Visit'], sort: ['-title'], columns: ['type,notes'], tz: ['record'] },
      catalogue,
    );
    expect(opened.search.toString()).toBe('search=budget&type=Call&type=Visit&sort=-title');
    expect(opened.columns).toEqual(['type', 'notes']);
    expect(opened.zone).toBe('record');
    expect(opened.dropped).toEqual([]);
  });

  it('drops a column that no longer exists, says so, and keeps the others', () => {
    const opened = openView({ columns: ['type,xyz,lead'] }, catalogue);
    expect(opened.columns).toEqual(['type', 'lead']);
    expect(opened.dropped).toEqual(['This view’s column ‘xyz’ no longer exists and was dropped.']);
  });

  it('drops filters, values and sort columns the Finder no longer has, one sentence each', () => {
    const opened = openView(
      { type: ['Call', 'Seminar'], priority: ['high'], sort: ['-budget,title'], page_size: ['30'], tz: ['site'] },
      catalogue,
    );
    expect(opened.search.toString()).toBe('type=Call&sort=title');
    expect(opened.zone).toBeNull();
    expect(opened.dropped).toEqual([
      'This view’s type ‘Seminar’ no longer exists and was dropped.',
      'This view’s filter ‘priority’ no longer exists and was dropped.',
      'This view’s sort column ‘budget’ no longer exists and was dropped.',
      'This view’s page size ‘30’ no longer exists and was dropped.',
      'This view’s time-zone choice ‘site’ no longer exists and was dropped.',
    ]);
    expect(opened.kept).toEqual({ type: ['Call'], sort: ['title'] });
  });

  it('never carries the page or a view link into the Finder', () => {
    const opened = openView({ page: ['7'], view: ['3'], search: ['x'] }, catalogue);
    expect(opened.search.toString()).toBe('search=x');
    expect(opened.dropped).toEqual([]);
  });

  it('judges views against the real Finder’s lists', () => {
    const opened = openView({ type: ['Meeting'], columns: ['lead,notes'], sort: ['title'], tz: ['viewer'] }, finderCatalogue);
    expect(opened.dropped).toEqual([]);
    expect(openView({ columns: ['no_such_column'] }, finderCatalogue).dropped).toHaveLength(1);
  });

  it('puts back a weekday and hour filter with its own zone, beside the time-zone choice', () => {
    const opened = openView({ weekday: ['2'], hour: ['9'], tz: ['record', 'Europe/Berlin'] }, finderCatalogue);
    expect(opened.search.toString()).toBe('weekday=2&hour=9&tz=Europe%2FBerlin');
    expect(opened.zone).toBe('record');
    expect(opened.dropped).toEqual([]);
    expect(openView({ hour: ['9'], tz: ['viewer', 'Mars/Olympus'] }, finderCatalogue).dropped).toEqual([
      'This view’s time-zone choice ‘Mars/Olympus’ no longer exists and was dropped.',
    ]);
  });
});

describe('the Finder’s state as a view', () => {
  it('takes the URL without its page, plus the visible columns and the zone', () => {
    const url = new URLSearchParams('search=budget&type=Call&type=Visit&page=3&view=9');
    expect(currentParams(url, { columns: ['type', 'notes'], zone: 'viewer' })).toEqual({
      search: ['budget'],
      type: ['Call', 'Visit'],
      columns: ['type,notes'],
      tz: ['viewer'],
    });
  });

  it('keeps the zone of a weekday or hour filter after the time-zone choice', () => {
    const url = new URLSearchParams('weekday=2&hour=9&tz=Europe%2FBerlin');
    const params = currentParams(url, { columns: ['type'], zone: 'site' });
    expect(params).toEqual({ weekday: ['2'], hour: ['9'], columns: ['type'], tz: ['site', 'Europe/Berlin'] });
    expect(sameView(params, openView(params, finderCatalogue).kept, finderCatalogue)).toBe(true);
  });

  it('is unmodified whatever the order of values, and a default reads as absent', () => {
    const saved = { type: ['Visit', 'Call'], sort: ['-start_datetime'], columns: ['notes,type'], tz: ['viewer'] };
    const shown = { type: ['Call', 'Visit'], columns: ['type,notes'], tz: ['viewer'] };
    expect(sameView(saved, shown, catalogue)).toBe(true);
    expect(sameView(saved, { ...shown, search: ['budget'] }, catalogue)).toBe(false);
    expect(sameView(saved, { ...shown, columns: ['type'] }, catalogue)).toBe(false);
    expect(sameView(saved, { ...shown, tz: ['record'] }, catalogue)).toBe(false);
  });
});
