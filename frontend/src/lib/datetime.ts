// Date handling in IANA zones: display in an interaction's own zone, entry as wall-clock time in a chosen zone.
import { DateTime, IANAZone } from 'luxon';

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

/** "24 Nov 2026, 09:30 CET" for a UTC ISO string shown in `zone`. */
export function formatInZone(iso: string, zone: string): string {
  const instant = DateTime.fromISO(iso, { zone: 'utc' }).setZone(isValidTimeZone(zone) ? zone : 'UTC');
  if (!instant.isValid) return '—';
  return `${instant.setLocale('en-US').toFormat('d LLL yyyy, HH:mm')} ${zoneAbbreviation(instant)}`;
}

/** Time only ("10:30 CET"), used when an end falls on the start's day. */
export function formatTimeInZone(iso: string, zone: string): string {
  const instant = DateTime.fromISO(iso, { zone: 'utc' }).setZone(isValidTimeZone(zone) ? zone : 'UTC');
  if (!instant.isValid) return '—';
  return `${instant.toFormat('HH:mm')} ${zoneAbbreviation(instant)}`;
}

export function sameDayInZone(a: string, b: string, zone: string): boolean {
  const z = isValidTimeZone(zone) ? zone : 'UTC';
  const da = DateTime.fromISO(a, { zone: 'utc' }).setZone(z);
  const db = DateTime.fromISO(b, { zone: 'utc' }).setZone(z);
  return da.hasSame(db, 'day');
}

/** Relative-free timestamp for audit lines, in the viewer's own zone. */
export function formatLocal(iso: string): string {
  const instant = DateTime.fromISO(iso, { zone: 'utc' }).setZone(browserTimeZone());
  return instant.isValid ? `${instant.setLocale('en-US').toFormat('d LLL yyyy, HH:mm')} ${zoneAbbreviation(instant)}` : '—';
}

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
  return `${there.setLocale('en-US').toFormat('ccc d LLL, HH:mm')} ${zoneAbbreviation(there)} in your time zone`;
}
