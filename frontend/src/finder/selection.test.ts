import { describe, expect, it } from 'vitest';
import { makeInteraction } from '../test/utils';
import { NO_SELECTION, isSelected, pageState, records, selectedCount, targetOf, togglePage, toggleRow, type Selection } from './selection';

const page = [makeInteraction({ id: 1, version: 4 }), makeInteraction({ id: 2, version: 1 }), makeInteraction({ id: 3, version: 7 })];
const all: Selection = { mode: 'all', total: 120, asOf: '2026-12-06T10:00:00Z', filters: { type: ['Call'] } };

describe('bulk selection', () => {
  it('toggles a row in and out, keeping the version it was selected at', () => {
    const one = toggleRow(NO_SELECTION, page[0]!, page);
    expect(selectedCount(one)).toBe(1);
    expect(targetOf(one)).toEqual({ ids: [{ id: 1, version: 4 }] });
    expect(selectedCount(toggleRow(one, page[0]!, page))).toBe(0);
  });

  it('selects the whole page from the header, and none when it already was', () => {
    const whole = togglePage(toggleRow(NO_SELECTION, page[1]!, page), page);
    expect(pageState(whole, page)).toBe('all');
    expect(targetOf(whole)).toEqual({ ids: [{ id: 1, version: 4 }, { id: 2, version: 1 }, { id: 3, version: 7 }] });
    expect(pageState(togglePage(whole, page), page)).toBe('none');
    expect(pageState(toggleRow(NO_SELECTION, page[2]!, page), page)).toBe('some');
  });

  it('"all matching" counts the matches and sends the criteria with the moment of the selection', () => {
    expect(selectedCount(all)).toBe(120);
    expect(isSelected(all, 99)).toBe(true);
    expect(pageState(all, page)).toBe('all');
    expect(targetOf(all)).toEqual({ query: { type: ['Call'] }, as_of: '2026-12-06T10:00:00Z' });
  });

  it('unticking a row of "all matching" leaves the rest of the page selected, row by row', () => {
    const rows = toggleRow(all, page[1]!, page);
    expect(rows.mode).toBe('rows');
    expect(targetOf(rows)).toEqual({ ids: [{ id: 1, version: 4 }, { id: 3, version: 7 }] });
  });

  it('says how many records in words', () => {
    expect(records(1)).toBe('1 record');
    expect(records(12500)).toBe('12,500 records');
  });
});
