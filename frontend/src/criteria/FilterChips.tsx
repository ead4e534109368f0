// The active search and filters as removable chips, so the user always sees why the list is what it is.
import { DateTime } from 'luxon';
import { CLOCK_PARAMS, filterKey, type FinderFilter } from '../api/fieldList';
import { FINDER_FILTERS } from '../api/interactionFields';
import { formatDate, viewerLocale } from '../lib/datetime';
import { activeFilters, hasAnyCriteria, listOf, noFilters, textOf, type FilterValues, type FinderChange } from './queryState';
import type { FinderQueryControls } from './useFinderQuery';

const WEEKDAYS = ['Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays', 'Sundays'];

/** A date as the date input gives it, or a datetime (from an insights bar) in its own offset. */
const formatBound = (value: string) =>
  value.includes('T')
    ? DateTime.fromISO(value, { setZone: true }).setLocale(viewerLocale()).toLocaleString(DateTime.DATETIME_SHORT)
    : formatDate(value);

/** "Starts on Tuesdays at 09:00–09:59 (Europe/Berlin)"; without a zone the API reads the clock in UTC. */
function clockLabel(filter: FinderFilter, values: FilterValues): string {
  const [weekday, hour, zone] = [textOf(values, CLOCK_PARAMS.weekday), textOf(values, CLOCK_PARAMS.hour), textOf(values, CLOCK_PARAMS.zone)];
  const hh = hour.padStart(2, '0');
  const parts = [weekday && `on ${WEEKDAYS[Number(weekday) - 1]}`, hour && `at ${hh}:00–${hh}:59`, `(${zone || 'UTC'})`];
  return [filter.label, ...parts.filter(Boolean)].join(' ');
}

/**
 * What a chip says about a filter in use: "Type: Call, Visit", "Lead: Ana", "Lead is exactly: Ana",
 * "Starts 01/05/2026 – 31/05/2026".
 */
function chipLabel(filter: FinderFilter, values: FilterValues): string {
  const [first = '', second = ''] = filter.params;
  if (filter.by === 'anyOf') return `${filter.label}: ${listOf(values, first).join(', ')}`;
  if (filter.by === 'substring' || filter.by === 'exact') return `${filter.label}: ${textOf(values, first).trim()}`;
  if (filter.by === 'clock') return clockLabel(filter, values);
  const [from, to] = [textOf(values, first), textOf(values, second)];
  if (from && to) return `${filter.label} ${formatBound(from)} – ${formatBound(to)}`;
  return from ? `${filter.label} on or after ${formatBound(from)}` : `${filter.label} on or before ${formatBound(to)}`;
}

export function FilterChips({ controls, filters = FINDER_FILTERS }: {
  controls: FinderQueryControls;
  /** The field list's filters (a test may pass its own). */
  filters?: readonly FinderFilter[];
}) {
  const { query, update, reset } = controls;
  if (!hasAnyCriteria(query, filters)) return null;
  const chips: { key: string; label: string; clear: FinderChange }[] = [];
  if (query.search.trim()) chips.push({ key: 'search', label: `Search: “${query.search.trim()}”`, clear: { search: '' } });
  for (const filter of activeFilters(query, filters)) {
    chips.push({ key: filterKey(filter), label: chipLabel(filter, query.filters), clear: { filters: noFilters([filter]) } });
  }
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
