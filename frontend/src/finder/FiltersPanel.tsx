// The filters: type multi-select, lead, location and a start-date range; every change lands in the URL.
import { INTERACTION_TYPES, type InteractionType } from '../api/interactionFields';
import { useDebouncedField } from '../lib/useDebouncedField';
import type { FinderQueryControls } from './useFinderQuery';

function DebouncedInput({ id, label, value, onCommit, placeholder }: {
  id: string;
  label: string;
  value: string;
  onCommit: (v: string) => void;
  placeholder?: string;
}) {
  const field = useDebouncedField(value, onCommit);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        value={field.value}
        placeholder={placeholder}
        onChange={(e) => field.setValue(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && field.flush()}
        onBlur={field.flush}
      />
    </div>
  );
}

export function FiltersPanel({ id, controls }: { id: string; controls: FinderQueryControls }) {
  const { query, update } = controls;
  const toggleType = (type: InteractionType, checked: boolean) => {
    const types = checked ? [...query.types, type] : query.types.filter((t) => t !== type);
    // Keep the canonical order so the same selection always gives the same URL.
    update({ types: INTERACTION_TYPES.filter((t) => types.includes(t)) });
  };
  const inverted = query.startFrom && query.startTo && query.startFrom > query.startTo;

  return (
    <section id={id} className="filters" aria-label="Filters">
      <fieldset className="filters__types">
        <legend>Type</legend>
        <div className="chip-group">
          {INTERACTION_TYPES.map((type) => (
            <label key={type} className="check-chip">
              <input
                type="checkbox"
                checked={query.types.includes(type)}
                onChange={(e) => toggleType(type, e.target.checked)}
              />
              <span>{type}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="filters__grid">
        <DebouncedInput id="filter-lead" label="Lead" value={query.lead} onCommit={(lead) => update({ lead }, { replace: true })} placeholder="Any lead" />
        <DebouncedInput
          id="filter-location"
          label="Location"
          value={query.location}
          onCommit={(location) => update({ location }, { replace: true })}
          placeholder="Any location"
        />
        <div className="field">
          <label htmlFor="filter-start-from">Starts on or after</label>
          <input id="filter-start-from" type="date" value={query.startFrom} max={query.startTo || undefined} onChange={(e) => update({ startFrom: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="filter-start-to">Starts on or before</label>
          <input
            id="filter-start-to"
            type="date"
            value={query.startTo}
            min={query.startFrom || undefined}
            onChange={(e) => update({ startTo: e.target.value })}
            aria-describedby={inverted ? 'filter-range-error' : undefined}
          />
        </div>
      </div>
      {inverted && (
        <p id="filter-range-error" className="field-error" role="alert">
          The start of the range is after its end, so nothing can match.
        </p>
      )}
    </section>
  );
}
