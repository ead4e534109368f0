// The active search and filters as removable chips, so the user always sees why the list is what it is.
import type { FinderQuery } from './queryState';
import type { FinderQueryControls } from './useFinderQuery';
import { hasAnyCriteria } from './queryState';
import { formatDate } from '../lib/datetime';

export function FilterChips({ controls }: { controls: FinderQueryControls }) {
  const { query, update, reset } = controls;
  if (!hasAnyCriteria(query)) return null;
  const chips: { key: string; label: string; clear: Partial<FinderQuery> }[] = [];
  if (query.search.trim()) chips.push({ key: 'search', label: `Search: “${query.search.trim()}”`, clear: { search: '' } });
  if (query.types.length) chips.push({ key: 'type', label: `Type: ${query.types.join(', ')}`, clear: { types: [] } });
  if (query.lead.trim()) chips.push({ key: 'lead', label: `Lead: ${query.lead.trim()}`, clear: { lead: '' } });
  if (query.location.trim()) chips.push({ key: 'location', label: `Location: ${query.location.trim()}`, clear: { location: '' } });
  if (query.startFrom || query.startTo) {
    const [from, to] = [formatDate(query.startFrom), formatDate(query.startTo)];
    const label = query.startFrom && query.startTo
      ? `Starts ${from} – ${to}`
      : query.startFrom
        ? `Starts on or after ${from}`
        : `Starts on or before ${to}`;
    chips.push({ key: 'dates', label, clear: { startFrom: '', startTo: '' } });
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
