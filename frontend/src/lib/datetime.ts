// Date handling in IANA zones: display in an interaction's own zone, entry as wall-clock time in a chosen zone.
import { DateTime, IANAZone, Settings } from 'luxon';

// Asking the browser for its zone and locale, and Luxon whether a zone exists, each build an
// Intl.DateTimeFormat: costly enough that a Finder page of rows spent most of its first render in them.
// The answers are kept: validity for good, the browser's zone and locale for a minute (a laptop may travel).
const BROWSER_SETTINGS_TTL_MS = 60_000;
const MAX_ZONES_KEPT = 1_000;
const zoneValidity = new Map<string, boolean>();
let browserSettings: { zone: string; locale: string; at: number } | null = null;

export const isValidTimeZone = (zone: string): boolean => {
  if (zone === '') return false;
  let valid = zoneValidity.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    if (zoneValidity.size >= MAX_ZONES_KEPT) zoneValidity.clear();
    zoneValidity.set(zone, valid);
  }
  return valid;
};

function browser(): { zone: string; locale: string } {
  const now = Date.now();
  if (browserSettings === null || now - browserSettings.at > BROWSER_SETTINGS_TTL_MS) {
    const { timeZone, locale } = Intl.DateTimeFormat().resolvedOptions();
    browserSettings = { zone: timeZone && isValidTimeZone(timeZone) ? timeZone : 'UTC', locale, at: now };
  }
  return browserSettings;
}

export const browserTimeZone = (): string => browser().zone;

/**
 * A short name for the zone at that instant ("CET", "EDT", "AEDT", "IST"; else "GMT+9").
 * Each English locale knows its own region's names; fall back to the offset form.
 * Kept per zone and offset (the name changes only with the offset): Luxon builds a new
 * Intl.DateTimeFormat for every named offset it formats.
 */
const abbreviations = new Map<string, string>();

export function zoneAbbreviation(instant: DateTime): string {
  if (instant.zoneName === 'UTC' || instant.zoneName === 'Etc/UTC') return 'UTC';
  const key = `${instant.zoneName}|${instant.offset}`;
  let name = abbreviations.get(key);
  if (name === undefined) {
    name = abbreviationOf(instant);
    if (abbreviations.size >= MAX_ZONES_KEPT) abbreviations.clear();
    abbreviations.set(key, name);
  }
  return name;
}

// One formatter per locale and zone, kept: Luxon's own 'ZZZZ' builds a new one for every call.
const namers = new Map<string, Intl.DateTimeFormat>();

function shortName(instant: DateTime, locale: string): string {
  const key = `${locale}|${instant.zoneName}`;
  let namer = namers.get(key);
  if (namer === undefined) {
    namer = new Intl.DateTimeFormat(locale, { timeZone: instant.zoneName ?? 'UTC', timeZoneName: 'short' });
    if (namers.size >= MAX_ZONES_KEPT) namers.clear();
    namers.set(key, namer);
  }
  return namer.formatToParts(instant.toMillis()).find((part) => part.type === 'timeZoneName')?.value ?? '';
}

function abbreviationOf(instant: DateTime): string {
  let fallback = '';
  for (const locale of ['en-US', 'en-GB', 'en-AU', 'en-IN']) {
    const name = shortName(instant, locale);
    if (name !== '' && !/^(GMT|UTC)[+-]/.test(name)) return name;
    fallback ||= name;
  }
  return fallback || instant.toFormat('ZZ');
}

/** The viewer's locale: Luxon's default when one is set (tests), else the browser's. */
export const viewerLocale = (): string => Settings.defaultLocale || browser().locale;

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

// A table cell reads the same instant several times (shown, hovered, in the record's own zone) and again
// on every refetch: the readings are kept, a bounded number of them.
const MAX_READINGS_KEPT = 5_000;
const readings = new Map<string, string>();

function reading(iso: string, zone: string, locale: string, format: Intl.DateTimeFormatOptions): string {
  const key = `${iso}|${zone}|${locale}|${format === TIME ? 't' : 'dt'}`;
  let text = readings.get(key);
  if (text === undefined) {
    const instant = inZone(iso, zone);
    text = instant.isValid ? `${instant.setLocale(locale).toLocaleString(format)} ${zoneAbbreviation(instant)}` : '—';
    if (readings.size >= MAX_READINGS_KEPT) readings.clear();
    readings.set(key, text);
  }
  return text;
}

const DATE_TIME: Intl.DateTimeFormatOptions = { ...DATE, ...TIME };

/** "27/04/2026, 09:30 CEST" for a UTC ISO string shown in `zone`, in the viewer's format. */
export function formatInZone(iso: string, zone: string, locale = viewerLocale()): string {
  return reading(iso, zone, locale, DATE_TIME);
}

/** Time only ("10:30 CET"), used when an end falls on the start's day. */
export function formatTimeInZone(iso: string, zone: string, locale = viewerLocale()): string {
  return reading(iso, zone, locale, TIME);
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
