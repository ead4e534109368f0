import { describe, expect, it } from 'vitest';
import { currentOffsetLabel, formatInZone, formatTimeInZone, fromLocalInput, sameDayInZone, toLocalInput } from './datetime';

describe('dates in each interaction’s own zone', () => {
  it('shows the time in the zone with its abbreviation', () => {
    expect(formatInZone('2026-11-24T08:30:00Z', 'Europe/Berlin')).toBe('24 Nov 2026, 09:30 CET');
    expect(formatInZone('2026-07-01T16:00:00Z', 'America/New_York')).toBe('1 Jul 2026, 12:00 EDT');
    expect(formatInZone('2026-07-01T16:00:00Z', 'UTC')).toBe('1 Jul 2026, 16:00 UTC');
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
