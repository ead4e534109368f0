// What an entry of a field list declares, and what every screen derives from any such list: the Finder's filters,
// sort keys and hidden columns, the form's starting values, a record's example values. Each derivation is a function
// of the list, so a test can hand it a list of its own; interactionFields.ts applies them to the interaction's list.
import type { z } from 'zod';

/**
 * How a field is entered and shown: `text` an input, `longText` a textarea (truncated in the Finder, a word diff in
 * the history), `choice` a select of `options` (a pill in the Finder), `datetime` an instant entered as wall-clock
 * time in the `timezone` field.
 */
export type FieldKind = 'text' | 'longText' | 'choice' | 'datetime' | 'timezone';

/**
 * How the Finder filters by a field; its URL parameters are the API's. `substring`: one parameter named as the field,
 * matching inside the text; with `exact`, a second parameter of that name matches the whole text, case and accents
 * aside, as insights group it (a bar's link: "Ana" without "Anabel" and "Diana"), a filter of its own.
 * `anyOf`: the field's name repeated, once per chosen option. `range`: two parameters
 * (`from`, `to`, inclusive; a date or a datetime with offset), read as "<label> on or after / on or before". A range
 * with `clock` (a datetime) is also filtered by the weekday and hour it starts at on the viewer's clock: a filter of its own.
 */
export type FilterSpec =
  | { by: 'substring'; exact?: string }
  | { by: 'anyOf' }
  | { by: 'range'; from: string; to: string; label: string; clock?: boolean };

/**
 * The clock filter's parameters, as the API names them (one field of a list may have them): the ISO weekday
 * (1 = Monday) and the hour (0–23), both read in the IANA zone `tz`, which goes along only with one of them.
 */
export const CLOCK_PARAMS = { weekday: 'weekday', hour: 'hour', zone: 'tz' } as const;

/** What a Finder column needs: fields and the server's stamps alike. */
export interface ColumnSpec {
  label: string;
  kind: FieldKind;
  /** How the Finder sorts by it: by its value, or (a choice) by the rank of its option; false: it does not. */
  sort: 'value' | 'rank' | false;
  /** A Finder column shown until the user picks columns. */
  shown: boolean;
}

export interface FieldSpec<S extends z.ZodType<unknown, string> = z.ZodType<unknown, string>> extends ColumnSpec {
  /** The API's rules, as inline validation; the output type is the field's type in the API. */
  schema: S;
  /** The most characters the API accepts (the form shows a counter where `form.counter`). */
  max?: number;
  /** A choice's options in their order: the form's, the filter's and the rank it sorts by. */
  options?: readonly string[];
  /** What the API stores when the field is left out, and the form's starting value; none: the API requires it. */
  default?: string;
  /** A value a record could hold (test fixtures and demo records start from it). */
  example: string;
  filter?: FilterSpec;
  /** How the form lays it out; all optional. */
  form?: { help?: string; wide?: boolean; counter?: boolean; rows?: number; autoComplete?: string; placeholder?: string };
}

export type FieldList = Readonly<Record<string, FieldSpec>>;
export type ColumnList = Readonly<Record<string, ColumnSpec>>;

/** One Finder filter, derived from its field: what the panel shows, the chips say and the URL carries. */
export interface FinderFilter {
  field: string;
  label: string;
  /**
   * `clock`: the weekday and hour of a range's datetime (CLOCK_PARAMS); `exact`: a substring filter's whole-text
   * match. The panel has no control for either: insights links set them, their chips clear them.
   */
  by: FilterSpec['by'] | 'clock' | 'exact';
  /** The URL's and the API's parameters, in the URL's order. */
  params: readonly string[];
  /** An any-of filter's options, in the field's order. */
  options: readonly string[];
}

export const fieldNamesOf = (fields: FieldList): string[] => Object.keys(fields);

const namesWhere = (columns: ColumnList, keep: (spec: ColumnSpec) => boolean) =>
  Object.entries(columns).flatMap(([name, spec]) => (keep(spec) ? [name] : []));

export const labelsOf = (columns: ColumnList): Record<string, string> =>
  Object.fromEntries(Object.entries(columns).map(([name, spec]) => [name, spec.label]));

/** The columns the Finder sorts by (the API's sort allow-list says the same). */
export const sortableOf = (columns: ColumnList): string[] => namesWhere(columns, (spec) => spec.sort !== false);

export const hiddenOf = (columns: ColumnList): string[] => namesWhere(columns, (spec) => !spec.shown);

/** Choices first, then texts, then ranges and clocks: the panel's layout, the chips' and the URL's order. */
const FILTER_ORDER: readonly FinderFilter['by'][] = ['anyOf', 'substring', 'exact', 'range', 'clock'];

/** The filter a field's own filter brings along: a range's clock, a substring's exact match. */
function companionOf(field: string, spec: FieldSpec, filter: FilterSpec): FinderFilter[] {
  if (filter.by === 'range' && filter.clock) {
    const { weekday, hour, zone } = CLOCK_PARAMS;
    return [{ field, label: filter.label, by: 'clock', params: [weekday, hour, zone], options: [] }];
  }
  if (filter.by === 'substring' && filter.exact) {
    return [{ field, label: `${spec.label} is exactly`, by: 'exact', params: [filter.exact], options: [] }];
  }
  return [];
}

/** The Finder's filters, one per filtered field and its companion; in the list's order within each kind. */
export function filtersOf(fields: FieldList): FinderFilter[] {
  const filters = Object.entries(fields).flatMap(([field, spec]) => {
    const filter = spec.filter;
    if (!filter) return [];
    const params = filter.by === 'range' ? [filter.from, filter.to] : [field];
    const label = filter.by === 'range' ? filter.label : spec.label;
    const own: FinderFilter = { field, label, by: filter.by, params, options: spec.options ?? [] };
    return [own, ...companionOf(field, spec, filter)];
  });
  return FILTER_ORDER.flatMap((by) => filters.filter((filter) => filter.by === by));
}

/** The form's values before anything is entered: each field's default, or empty. */
export const startingValues = (fields: FieldList): Record<string, string> =>
  Object.fromEntries(Object.entries(fields).map(([name, spec]) => [name, spec.default ?? '']));

/** A record's editable fields as their examples. */
export const exampleValues = (fields: FieldList): Record<string, string> =>
  Object.fromEntries(Object.entries(fields).map(([name, spec]) => [name, spec.example]));

/** Fields whose value is read as a text diff in the history (short fields read "from → to"). */
/** A filter's key among the filters (a range and its clock share their field). */
export const filterKey = (filter: FinderFilter): string => `${filter.field}:${filter.by}`;

export const longTextsOf = (fields: FieldList): string[] => namesWhere(fields, (spec) => spec.kind === 'longText');
