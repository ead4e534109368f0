// Date handling in IANA zones: display in an interaction's own zone, entry as wall-clock time in a chosen zone.
import { DateTime, IANAZone, Settings } from 'luxon';

export const browserTimeZone = (): string => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && IANAZone.isValidZone(zone) ? zone : 'UTC';
};

export const isValidTimeZone = (zone: string): boolean => zone !== '' && IANAZone.isValidZone(zone);

/**
 * A short name for the zone at that instant ("CET", "EDT", "AEDT", "IST"; else "GMT+9").
 * Each English locale knows its own region's names; fall back to the offset form.
 */
export function zoneAbbreviation(instant: DateTime): string {
  if (instant.zoneName === 'UTC' || instant.zoneName === 'Etc/UTC') return 'UTC';
  let fallback = '';
  for (const locale of ['en-US', 'en-GB', 'en-AU', 'en-IN']) {
    const name = instant.setLocale(locale).toFormat('ZZZZ');
    if (!/^(GMT|UTC)[+-]/.test(name)) return name;
    fallback ||= name;
  }
  return fallback || instant.toFormat('ZZ');
}

/** The viewer's locale: Luxon's default when one is set (tests), else the browser's. */
export const viewerLocale = (): string => Settings.defaultLocale || Intl.DateTimeFormat().resolvedOptions().locale;

// One date format on every screen: the locale's numeric date, as the browser's own date inputs show it
// (27/04/2026 in en-GB, 04/27/2026 in en-US), so a chip, a date field and a table cell read alike.
const DATE: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit' };
const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };

const inZone = (iso: string, zone: string) =>
  DateTime.fromISO(iso, { zone: 'utc' }).setZone(isValidTimeZone(zone) ? zone : 'UTC');

/** A calendar date from a date input ("2026-04-27") in the viewer's format. */
export function formatDate(isoDate: string, locale = viewerLocale()): string {
  const day = DateTime.fromISO(isoDate, { zone: 'utc' });
  return day.isValid ? day.setLocale(locale).toLocaleString(DATE) : isoDate;
}

/** "27/04/2026, 09:30 CEST" for a UTC ISO string shown in `zone`, in the viewer's format. */
export function formatInZone(iso: string, zone: string, locale = viewerLocale()): string {
  const instant = inZone(iso, zone);
  if (!instant.isValid) return '—';
  return `${instant.setLocale(locale).toLocaleString({ ...DATE, ...TIME })} ${zoneAbbreviation(instant)}`;
}

/** Time only ("10:30 CET"), used when an end falls on the start's day. */
export function formatTimeInZone(iso: string, zone: string, locale = viewerLocale()): string {
  const instant = inZone(iso, zone);
  if (!instant.isValid) return '—';
  return `${instant.setLocale(locale).toLocaleString(TIME)} ${zoneAbbreviation(instant)}`;
}

export function sameDayInZone(a: string, b: string, zone: string): boolean {
  return inZone(a, zone).hasSame(inZone(b, zone), 'day');
}

/** Whether two zones read the same wall-clock time at that instant (London and Lisbon do, in winter). */
export function sameWallClock(iso: string, zoneA: string, zoneB: string): boolean {
  return inZone(iso, zoneA).offset === inZone(iso, zoneB).offset;
}

/** The instant as read in `zone`, as a time alone when it falls on the same date as in `shownZone`. */
export function formatAlongside(iso: string, zone: string, shownZone: string, locale = viewerLocale()): string {
  const sameDate = inZone(iso, zone).toISODate() === inZone(iso, shownZone).toISODate();
  return sameDate ? formatTimeInZone(iso, zone, locale) : formatInZone(iso, zone, locale);
}

/** Timestamp for audit lines, in the viewer's own zone. */
export const formatLocal = (iso: string): string => formatInZone(iso, browserTimeZone());

/** Value for <input type="datetime-local"> from a UTC ISO string, as wall-clock time in `zone`. */
export function toLocalInput(iso: string, zone: string): string {
  const instant = DateTime.fromISO(iso, { zone: 'utc' }).setZone(isValidTimeZone(zone) ? zone : 'UTC');
  return instant.isValid ? instant.toFormat("yyyy-LL-dd'T'HH:mm") : '';
}

/** ISO 8601 with offset ("2026-11-24T09:30:00+01:00") for wall-clock `local` in `zone`; null when invalid. */
export function fromLocalInput(local: string, zone: string): string | null {
  if (!local || !isValidTimeZone(zone)) return null;
  const instant = DateTime.fromISO(local, { zone });
  return instant.isValid ? instant.toISO({ suppressMilliseconds: true }) : null;
}

/** Milliseconds since epoch of wall-clock `local` in `zone`, for comparisons; null when invalid. */
export function localInputMillis(local: string, zone: string): number | null {
  if (!local) return null;
  const instant = DateTime.fromISO(local, { zone: isValidTimeZone(zone) ? zone : 'UTC' });
  return instant.isValid ? instant.toMillis() : null;
}

/** "UTC+01:00" for a zone right now, shown next to names in the timezone picker. */
export function currentOffsetLabel(zone: string, now: DateTime = DateTime.now()): string {
  if (!isValidTimeZone(zone)) return '';
  const offset = now.setZone(zone).toFormat('ZZ');
  return offset === '+00:00' ? 'UTC' : `UTC${offset}`;
}

/** The same instant as the viewer would read it, e.g. "08:30 in your time (Europe/London)". */
export function describeInBrowserZone(local: string, zone: string): string | null {
  const browser = browserTimeZone();
  if (!local || !isValidTimeZone(zone) || zone === browser) return null;
  const instant = DateTime.fromISO(local, { zone });
  if (!instant.isValid) return null;
  const there = instant.setZone(browser);
  if (there.offset === instant.offset) return null;
  return `${formatInZone(there.toUTC().toISO() ?? '', browser)} in your time zone`;
}
