import { describe, expect, it } from 'vitest';
import { currentOffsetLabel, formatAlongside, formatDate, formatInZone, formatTimeInZone, fromLocalInput, sameDayInZone, toLocalInput } from './datetime';

describe('dates in each interaction’s own zone', () => {
  it('shows the time in the zone with its abbreviation', () => {
    expect(formatInZone('2026-11-24T08:30:00Z', 'Europe/Berlin')).toBe('24/11/2026, 09:30 CET');
    expect(formatInZone('2026-07-01T16:00:00Z', 'America/New_York')).toBe('01/07/2026, 12:00 EDT');
    expect(formatInZone('2026-07-01T16:00:00Z', 'UTC')).toBe('01/07/2026, 16:00 UTC');
  });

  it('writes dates and times in the viewer’s locale, the way the browser’s date inputs show them', () => {
    expect(formatInZone('2026-07-01T16:00:00Z', 'America/New_York', 'en-US')).toBe('07/01/2026, 12:00 PM EDT');
    expect(formatInZone('2026-07-01T16:00:00Z', 'Europe/Berlin', 'de-DE')).toBe('01.07.2026, 18:00 CEST');
    expect(formatDate('2026-04-27', 'en-GB')).toBe('27/04/2026');
    expect(formatDate('2026-04-27', 'en-US')).toBe('04/27/2026');
    expect(formatDate('2026-04-27')).toBe('27/04/2026');
  });

  it('gives a second zone’s reading as a time alone only when the date is the same', () => {
    expect(formatAlongside('2026-11-24T08:30:00Z', 'Asia/Kolkata', 'Europe/London')).toBe('14:00 IST');
    expect(formatAlongside('2026-11-24T20:30:00Z', 'Asia/Kolkata', 'Europe/London')).toBe('25/11/2026, 02:00 IST');
  });

  it('uses regional abbreviations, else the offset', () => {
    expect(formatTimeInZone('2026-11-24T08:30:00Z', 'Asia/Kolkata')).toBe('14:00 IST');
    expect(formatTimeInZone('2026-11-24T08:30:00Z', 'Asia/Tokyo')).toBe('17:30 GMT+9');
  });

  it('compares days in the zone, not in UTC', () => {
    expect(sameDayInZone('2026-11-24T22:30:00Z', '2026-11-24T23:30:00Z', 'Europe/Berlin')).toBe(false);
    expect(sameDayInZone('2026-11-24T08:30:00Z', '2026-11-24T09:30:00Z', 'Europe/Berlin')).toBe(true);
  });

  it('converts between wall-clock input and instants across DST', () => {
    expect(fromLocalInput('2026-03-29T03:30', 'Europe/Berlin')).toBe('2026-03-29T03:30:00+02:00');
    expect(toLocalInput('2026-03-29T01:30:00Z', 'Europe/Berlin')).toBe('2026-03-29T03:30');
    expect(fromLocalInput('', 'Europe/Berlin')).toBeNull();
    expect(fromLocalInput('2026-03-29T03:30', 'Nowhere/Land')).toBeNull();
  });

  it('labels a zone with its current offset', () => {
    expect(currentOffsetLabel('UTC')).toBe('UTC');
    expect(currentOffsetLabel('Asia/Kolkata')).toBe('UTC+05:30');
  });
});

describe('the cost of a page of dates', () => {
  it('builds no new Intl.DateTimeFormat per row once a zone and offset have been seen', () => {
    // Luxon builds a formatter for every zone check and named offset: a Finder page of rows once spent
    // most of its first render there. Warm one reading, then count what a hundred more build.
    formatInZone('2026-11-24T08:30:00Z', 'Europe/Berlin');
    formatInZone('2026-07-01T08:30:00Z', 'Europe/Berlin');
    const Real = Intl.DateTimeFormat;
    let built = 0;
    const Counting = function (this: unknown, ...args: ConstructorParameters<typeof Intl.DateTimeFormat>) {
      built += 1;
      return new Real(...args);
    } as unknown as typeof Intl.DateTimeFormat;
    Object.assign(Counting, Real);
    Intl.DateTimeFormat = Counting;
    try {
      for (let day = 1; day <= 50; day += 1) {
        const date = String(day % 28 + 1).padStart(2, '0');
        expect(formatInZone(`2026-11-${date}T08:30:00Z`, 'Europe/Berlin')).toMatch(/ CET$/);
        expect(formatInZone(`2026-07-${date}T08:30:00Z`, 'Europe/Berlin')).toMatch(/ CEST$/);
      }
    } finally {
      Intl.DateTimeFormat = Real;
    }
    expect(built).toBe(0);
  });
});
