import { describe, expect, it } from 'vitest';
import { readDateBothWays } from './dateOrder';

describe('reading a date both ways', () => {
  it('spells each order of the first numeric date among the samples', () => {
    expect(readDateBothWays(['', 'soon', '03/04/2026 10:00'])).toEqual({
      written: '03/04/2026',
      readings: { day_first: '3 April 2026', month_first: '4 March 2026' },
    });
  });

  it('says where an order makes no date, and reads two-digit years in this century', () => {
    expect(readDateBothWays(['13.02.26'])?.readings).toEqual({ day_first: '13 February 2026', month_first: null });
    expect(readDateBothWays(['02-30-2026'])?.readings).toEqual({ day_first: null, month_first: null });
  });

  it('finds nothing in samples without a numeric date', () => {
    expect(readDateBothWays(['2026-04-03', 'tomorrow'])).toBeNull();
  });
});
