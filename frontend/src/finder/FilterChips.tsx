// The active search and filters as removable chips, so the user always sees why the list is what it is.
import type { FinderFilter } from '../api/fieldList';
import { FINDER_FILTERS } from '../api/interactionFields';
import { formatDate } from '../lib/datetime';
import { activeFilters, hasAnyCriteria, listOf, noFilters, textOf, type FilterValues, type FinderChange } from './queryState';
import type { FinderQueryControls } from './useFinderQuery';

/** What a chip says about a filter in use: "Type: Call, Visit", "Lead: Ana", "Starts 01/05/2026 – 31/05/2026". */
function chipLabel(filter: FinderFilter, values: FilterValues): string {
  const [first = '', second = ''] = filter.params;
  if (filter.by === 'anyOf') return `${filter.label}: ${listOf(values, first).join(', ')}`;
  if (filter.by === 'substring') return `${filter.label}: ${textOf(values, first).trim()}`;
  const [from, to] = [textOf(values, first), textOf(values, second)];
  if (from && to) return `${filter.label} ${formatDate(from)} – ${formatDate(to)}`;
  return from ? `${filter.label} on or after ${formatDate(from)}` : `${filter.label} on or before ${formatDate(to)}`;
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
    chips.push({ key: filter.field, label: chipLabel(filter, query.filters), clear: { filters: noFilters([filter]) } });
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
