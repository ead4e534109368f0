// The interaction's fields, written once: each field's API rules (a zod schema), label, kind, default, example and
// Finder role (column, sort, filter). The API types, the form's schema, values and controls, the Finder's filters,
// query state, chips, sort keys and columns, and the history's diffs all derive from INTERACTION_FIELDS, so a new field
// is one entry here (interactionFields.test.tsx checks that everything follows; fieldList.ts says what an entry holds).
import { z } from 'zod';
import { isValidTimeZone } from '../lib/datetime';
import {
  fieldNamesOf,
  filtersOf,
  hiddenOf,
  labelsOf,
  longTextsOf,
  sortableOf,
  type ColumnList,
  type FieldList,
  type FieldSpec,
} from './fieldList';

export const INTERACTION_TYPES = [
  'Meeting',
  'Call',
  'Email',
  'Visit',
  'Conference',
  'Training',
  'Webinar',
  'Other',
] as const;

export type InteractionType = (typeof INTERACTION_TYPES)[number];

// `const` keeps each entry's literal types (its schema's output, `sort: 'value'`) for the derived types below.
const field = <const T extends FieldSpec>(spec: T): T => spec;

const tooLong = (n: number) => `Use at most ${n.toLocaleString('en-GB')} characters.`;

/** A length-limited text field: the limit is both the schema's and the counter's. */
const limited = (max: number, base: z.ZodString) => ({ max, schema: base.max(max, tooLong(max)) });

export const INTERACTION_FIELDS = {
  title: field({
    label: 'Title',
    kind: 'text',
    ...limited(200, z.string().trim().min(1, 'Enter a title.')),
    sort: 'value',
    shown: true,
    example: 'Quarterly review',
    form: { help: 'A short name people will search for.', wide: true, counter: true },
  }),
  type: field({
    label: 'Type',
    kind: 'choice',
    schema: z.enum(INTERACTION_TYPES, { error: 'Choose a type.' }),
    options: INTERACTION_TYPES,
    example: 'Meeting',
    sort: 'value',
    shown: true,
    filter: { by: 'anyOf' },
    form: { placeholder: 'Choose a type…' },
  }),
  lead: field({
    label: 'Lead',
    kind: 'text',
    ...limited(100, z.string().trim().min(1, 'Enter who leads this interaction.')),
    sort: 'value',
    shown: true,
    example: 'Ana Lima',
    filter: { by: 'substring', exact: 'lead_is' },
    form: { help: 'The person responsible for it.', autoComplete: 'name' },
  }),
  // Wall-clock "YYYY-MM-DDTHH:mm" in `timezone` in the form; ISO 8601 instants in the API.
  start_datetime: field({
    label: 'Start',
    kind: 'datetime',
    schema: z.string().min(1, 'Enter when it starts.'),
    example: '2026-11-24T08:30:00Z',
    sort: 'value',
    shown: true,
    filter: { by: 'range', from: 'start_from', to: 'start_to', label: 'Starts', clock: true },
  }),
  end_datetime: field({
    label: 'End',
    kind: 'datetime',
    schema: z.string().min(1, 'Enter when it ends.'),
    example: '2026-11-24T09:30:00Z',
    sort: 'value',
    shown: true,
  }),
  timezone: field({
    label: 'Time zone',
    kind: 'timezone',
    schema: z
      .string()
      .min(1, 'Choose a time zone.')
      .refine(isValidTimeZone, 'Choose a time zone from the list (for example Europe/Berlin).'),
    example: 'Europe/Berlin',
    sort: 'value',
    shown: false,
    form: { help: 'Start and end are entered and shown in this time zone.', wide: true },
  }),
  location: field({
    label: 'Location',
    kind: 'text',
    ...limited(200, z.string().trim()),
    default: '',
    example: 'Room 4',
    sort: 'value',
    shown: true,
    filter: { by: 'substring', exact: 'location_is' },
    form: { help: 'An address, a room, or “Online”.', wide: true },
  }),
  description: field({
    label: 'Description',
    kind: 'longText',
    ...limited(5000, z.string()),
    default: '',
    example: '',
    sort: false,
    shown: false,
    form: { wide: true, counter: true, rows: 4 },
  }),
  notes: field({
    label: 'Notes',
    kind: 'longText',
    ...limited(5000, z.string()),
    default: '',
    example: 'Budget approved',
    sort: false,
    shown: false,
    form: { help: 'Outcomes and follow-ups. Searchable in the Finder.', wide: true, counter: true, rows: 5 },
  }),
};

type Fields = typeof INTERACTION_FIELDS;
export type FieldName = keyof Fields;

/** The editable fields in their canonical order (the API's, the Finder's columns, the form's). */
export const FIELD_NAMES = fieldNamesOf(INTERACTION_FIELDS) as FieldName[];

export const fieldSpec = (name: FieldName): FieldSpec => INTERACTION_FIELDS[name];

/** What the API takes and returns for each editable field (datetimes as ISO 8601). */
export type InteractionInput = { [K in FieldName]: z.output<Fields[K]['schema']> };

/** Each field's schema, as z.object takes them. */
export const FIELD_SCHEMAS = Object.fromEntries(FIELD_NAMES.map((name) => [name, INTERACTION_FIELDS[name].schema])) as {
  [K in FieldName]: Fields[K]['schema'];
};

/** Fields the server sets on every write; the Finder shows and sorts by them. */
export const STAMP_FIELDS = {
  created_at: { label: 'Created', kind: 'datetime', sort: 'value', shown: false },
  updated_at: { label: 'Last updated', kind: 'datetime', sort: 'value', shown: false },
} as const satisfies ColumnList;
type StampName = keyof typeof STAMP_FIELDS;
/** The stamps as the API sends them (ISO 8601, UTC). */
export type InteractionStamps = Record<StampName, string>;

/** The Finder's columns of a field list: its fields, then the stamps. */
export const withStamps = (fields: FieldList): ColumnList => ({ ...fields, ...STAMP_FIELDS });
const FINDER_COLUMNS = withStamps(INTERACTION_FIELDS);

/** Every field the Finder can show, in column order. */
export type FinderField = FieldName | StampName;
export const FINDER_FIELDS = Object.keys(FINDER_COLUMNS) as FinderField[];

/** How every screen names the fields of an interaction. */
export const FIELD_LABELS = labelsOf(FINDER_COLUMNS) as Record<FinderField, string>;

export type SortField = { [K in FieldName]: Fields[K]['sort'] extends false ? never : K }[FieldName] | StampName;
export const SORTABLE_FIELDS = sortableOf(FINDER_COLUMNS) as SortField[];

export const DEFAULT_HIDDEN_FIELDS = hiddenOf(FINDER_COLUMNS) as FinderField[];

/** The Finder's filters (panel, chips, URL and API parameters), in the field list's order. */
export const FINDER_FILTERS = filtersOf(INTERACTION_FIELDS);

/** The fields the history shows as a word diff. */
export const LONG_TEXT_FIELDS = longTextsOf(INTERACTION_FIELDS) as FieldName[];

export const isFieldName = (name: string): name is FieldName => Object.hasOwn(INTERACTION_FIELDS, name);

/** Required fields are those whose schema refuses an empty value. */
export const isRequired = (name: FieldName): boolean => !fieldSpec(name).schema.safeParse('').success;
