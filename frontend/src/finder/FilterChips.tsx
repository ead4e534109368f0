// The active search and filters as removable chips, so the user always sees why the list is what it is.
import type { FinderQuery } from './queryState';
import type { FinderQueryControls } from './useFinderQuery';
import { hasAnyCriteria } from './queryState';
import { formatDate, viewerLocale } from '../lib/datetime';
import { DateTime } from 'luxon';

const WEEKDAYS = ['Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays', 'Sundays'];

/** A date as the date input gives it, or a datetime (from an insights bar) in its own offset. */
const formatBound = (value: string) =>
  value.includes('T')
    ? DateTime.fromISO(value, { setZone: true }).setLocale(viewerLocale()).toLocaleString(DateTime.DATETIME_SHORT)
    : formatDate(value);

function startsAt(query: FinderQuery): string {
  const day = query.weekday ? `on ${WEEKDAYS[Number(query.weekday) - 1]}` : '';
  const hour = query.hour ? `at ${query.hour.padStart(2, '0')}:00–${query.hour.padStart(2, '0')}:59` : '';
  return `Starts ${[day, hour].filter(Boolean).join(' ')} (${query.tz || 'UTC'})`;
}

export function FilterChips({ controls }: { controls: FinderQueryControls }) {
  const { query, update, reset } = controls;
  if (!hasAnyCriteria(query)) return null;
  const chips: { key: string; label: string; clear: Partial<FinderQuery> }[] = [];
  if (query.search.trim()) chips.push({ key: 'search', label: `Search: “${query.search.trim()}”`, clear: { search: '' } });
  if (query.types.length) chips.push({ key: 'type', label: `Type: ${query.types.join(', ')}`, clear: { types: [] } });
  if (query.lead.trim()) chips.push({ key: 'lead', label: `Lead: ${query.lead.trim()}`, clear: { lead: '' } });
  if (query.location.trim()) chips.push({ key: 'location', label: `Location: ${query.location.trim()}`, clear: { location: '' } });
  if (query.startFrom || query.startTo) {
    const [from, to] = [formatBound(query.startFrom), formatBound(query.startTo)];
    const label = query.startFrom && query.startTo
      ? `Starts ${from} – ${to}`
      : query.startFrom
        ? `Starts on or after ${from}`
        : `Starts on or before ${to}`;
    chips.push({ key: 'dates', label, clear: { startFrom: '', startTo: '' } });
  }
  if (query.weekday || query.hour) chips.push({ key: 'hour', label: startsAt(query), clear: { weekday: '', hour: '', tz: '' } });
  return (
    <ul className="chips" aria-label="Active filters">
      {chips.map((chip) => (
        <li key={chip.key} className="chip">
          <span>{chip.label}</span>
          <button type="button" className="chip__remove" aria-label={`Remove ${chip.label}`} onClick={() => update(chip.clear)}>
            ×
          </button>
        </li>
      ))}
      {chips.length > 1 && (
        <li>
          <button type="button" className="link-button" onClick={reset}>
            Clear all
          </button>
        </li>
      )}
    </ul>
  );
}
