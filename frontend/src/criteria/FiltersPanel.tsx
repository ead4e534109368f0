// The filters, one control per filter of the field list: any-of as ticks, substring as a text box, a range as two
// dates; every change lands in the URL. A clock filter (weekday and hour, set from an insights heat map) and an exact
// one (a whole lead or location, set from an insights bar) have no control: their chips clear them.
import { filterKey, type FinderFilter } from '../api/fieldList';
import { FINDER_FILTERS } from '../api/interactionFields';
import { useDebouncedField } from '../lib/useDebouncedField';
import { listOf, textOf } from './queryState';
import type { FinderQueryControls } from './useFinderQuery';

/** `filter-lead`, `filter-start-from`. */
const inputId = (param: string) => `filter-${param.replace(/_/g, '-')}`;

interface FilterProps {
  filter: FinderFilter;
  controls: FinderQueryControls;
}

function AnyOfFilter({ filter, controls: { query, update } }: FilterProps) {
  const [param = filter.field] = filter.params;
  const chosen = listOf(query.filters, param);
  const toggle = (option: string, checked: boolean) => {
    const next = checked ? [...chosen, option] : chosen.filter((o) => o !== option);
    // Keep the field's order so the same selection always gives the same URL.
    update({ filters: { [param]: filter.options.filter((o) => next.includes(o)) } });
  };
  return (
    <fieldset className="filters__choices">
      <legend>{filter.label}</legend>
      <div className="chip-group">
        {filter.options.map((option) => (
          <label key={option} className="check-chip">
            <input type="checkbox" checked={chosen.includes(option)} onChange={(e) => toggle(option, e.target.checked)} />
            <span>{option}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function SubstringFilter({ filter, controls: { query, update } }: FilterProps) {
  const [param = filter.field] = filter.params;
  const field = useDebouncedField(textOf(query.filters, param), (value) => update({ filters: { [param]: value } }, { replace: true }));
  return (
    <div className="field">
      <label htmlFor={inputId(param)}>{filter.label}</label>
      <input
        id={inputId(param)}
        type="text"
        value={field.value}
        placeholder={`Any ${filter.label.toLowerCase()}`}
        onChange={(e) => field.setValue(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && field.flush()}
        onBlur={field.flush}
      />
    </div>
  );
}

/** Inclusive dates; each bound changes alone, so two changes in quick succession both stay. */
function RangeFilter({ filter, controls: { query, update } }: FilterProps) {
  const [fromParam = '', toParam = ''] = filter.params;
  const [from, to] = [textOf(query.filters, fromParam), textOf(query.filters, toParam)];
  const errorId = `${inputId(filter.field)}-range-error`;
  const inverted = from && to && from > to;
  return (
    <>
      <div className="field">
        <label htmlFor={inputId(fromParam)}>{filter.label} on or after</label>
        <input id={inputId(fromParam)} type="date" value={from} max={to || undefined} onChange={(e) => update({ filters: { [fromParam]: e.target.value } })} />
      </div>
      <div className="field">
        <label htmlFor={inputId(toParam)}>{filter.label} on or before</label>
        <input
          id={inputId(toParam)}
          type="date"
          value={to}
          min={from || undefined}
          onChange={(e) => update({ filters: { [toParam]: e.target.value } })}
          aria-describedby={inverted ? errorId : undefined}
        />
      </div>
      {inverted && (
        <p id={errorId} className="field-error" role="alert">
          The start of the range is after its end, so nothing can match.
        </p>
      )}
    </>
  );
}

const CONTROLS = { anyOf: AnyOfFilter, substring: SubstringFilter, range: RangeFilter } as const;

export function FiltersPanel({ id, controls, filters = FINDER_FILTERS }: {
  id: string;
  controls: FinderQueryControls;
  /** The field list's filters (a test may pass its own). */
  filters?: readonly FinderFilter[];
}) {
  const choices = filters.filter((filter) => filter.by === 'anyOf');
  const inputs = filters.filter((filter) => filter.by !== 'anyOf');
  const render = (filter: FinderFilter) => {
    if (filter.by === 'clock' || filter.by === 'exact') return null;
    const Control = CONTROLS[filter.by];
    return <Control key={filterKey(filter)} filter={filter} controls={controls} />;
  };
  return (
    <section id={id} className="filters" aria-label="Filters">
      {choices.map(render)}
      <div className="filters__grid">{inputs.map(render)}</div>
    </section>
  );
}
