// The interaction's fields, written once: each field's API rules (a zod schema), label, kind and Finder role.
// The API types, the form's schema, values and controls, the Finder's sort keys and its columns are all derived
// from INTERACTION_FIELDS, so a new field is one entry here (interactionFields.test.tsx checks that everything follows).
import { z } from 'zod';
import { isValidTimeZone } from '../lib/datetime';

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

/**
 * How a field is entered and shown: `text` an input, `longText` a textarea (truncated in the Finder),
 * `choice` a select of `options`, `datetime` an instant entered as wall-clock time in the `timezone` field.
 */
type FieldKind = 'text' | 'longText' | 'choice' | 'datetime' | 'timezone';

interface FieldSpec<S extends z.ZodType<unknown, string>> {
  label: string;
  kind: FieldKind;
  /** The API's rules, as inline validation; the output type is the field's type in the API. */
  schema: S;
  /** The most characters the API accepts (the form shows a counter where `form.counter`). */
  max?: number;
  options?: readonly string[];
  /** The Finder can sort by it (the API's sort allow-list says the same). */
  sortable: boolean;
  /** A Finder column shown until the user picks columns. */
  shown: boolean;
  /** How the form lays it out; all optional. */
  form?: { help?: string; wide?: boolean; counter?: boolean; rows?: number; autoComplete?: string; placeholder?: string };
}

// `const` keeps each entry's literal types (its schema's output, `sortable: true`) for the derived types below.
const field = <const T extends FieldSpec<z.ZodType<unknown, string>>>(spec: T): T => spec;

const tooLong = (n: number) => `Use at most ${n.toLocaleString('en-GB')} characters.`;

/** A length-limited text field: the limit is both the schema's and the counter's. */
const limited = (max: number, base: z.ZodString) => ({ max, schema: base.max(max, tooLong(max)) });

export const INTERACTION_FIELDS = {
  title: field({
    label: 'Title',
    kind: 'text',
    ...limited(200, z.string().trim().min(1, 'Enter a title.')),
    sortable: true,
    shown: true,
    form: { help: 'A short name people will search for.', wide: true, counter: true },
  }),
  type: field({
    label: 'Type',
    kind: 'choice',
    schema: z.enum(INTERACTION_TYPES, { error: 'Choose a type.' }),
    options: INTERACTION_TYPES,
    sortable: true,
    shown: true,
    form: { placeholder: 'Choose a type…' },
  }),
  lead: field({
    label: 'Lead',
    kind: 'text',
    ...limited(100, z.string().trim().min(1, 'Enter who leads this interaction.')),
    sortable: true,
    shown: true,
    form: { help: 'The person responsible for it.', autoComplete: 'name' },
  }),
  // Wall-clock "YYYY-MM-DDTHH:mm" in `timezone` in the form; ISO 8601 instants in the API.
  start_datetime: field({
    label: 'Start',
    kind: 'datetime',
    schema: z.string().min(1, 'Enter when it starts.'),
    sortable: true,
    shown: true,
  }),
  end_datetime: field({
    label: 'End',
    kind: 'datetime',
    schema: z.string().min(1, 'Enter when it ends.'),
    sortable: true,
    shown: true,
  }),
  timezone: field({
    label: 'Time zone',
    kind: 'timezone',
    schema: z
      .string()
      .min(1, 'Choose a time zone.')
      .refine(isValidTimeZone, 'Choose a time zone from the list (for example Europe/Berlin).'),
    sortable: true,
    shown: false,
    form: { help: 'Start and end are entered and shown in this time zone.', wide: true },
  }),
  location: field({
    label: 'Location',
    kind: 'text',
    ...limited(200, z.string().trim()),
    sortable: true,
    shown: true,
    form: { help: 'An address, a room, or “Online”.', wide: true },
  }),
  description: field({
    label: 'Description',
    kind: 'longText',
    ...limited(5000, z.string()),
    sortable: false,
    shown: false,
    form: { wide: true, counter: true, rows: 4 },
  }),
  notes: field({
    label: 'Notes',
    kind: 'longText',
    ...limited(5000, z.string()),
    sortable: false,
    shown: false,
    form: { help: 'Outcomes and follow-ups. Searchable in the Finder.', wide: true, counter: true, rows: 5 },
  }),
};

type Fields = typeof INTERACTION_FIELDS;
export type FieldName = keyof Fields;
type AnyFieldSpec = FieldSpec<z.ZodType<unknown, string>>;

/** The editable fields in their canonical order (the API's, the Finder's columns, the form's). */
export const FIELD_NAMES = Object.keys(INTERACTION_FIELDS) as FieldName[];

export const fieldSpec = (name: FieldName): AnyFieldSpec => INTERACTION_FIELDS[name];

/** What the API takes and returns for each editable field (datetimes as ISO 8601). */
export type InteractionInput = { [K in FieldName]: z.output<Fields[K]['schema']> };

/** Each field's schema, as z.object takes them. */
export const FIELD_SCHEMAS = Object.fromEntries(FIELD_NAMES.map((name) => [name, INTERACTION_FIELDS[name].schema])) as {
  [K in FieldName]: Fields[K]['schema'];
};

/** Fields the server sets on every write; the Finder shows and sorts by them. */
export const STAMP_FIELDS = {
  created_at: { label: 'Created', sortable: true, shown: false },
  updated_at: { label: 'Last updated', sortable: true, shown: false },
} as const;
type StampName = keyof typeof STAMP_FIELDS;
/** The stamps as the API sends them (ISO 8601, UTC). */
export type InteractionStamps = Record<StampName, string>;

/** Every field the Finder can show, in column order. */
export const FINDER_FIELDS = [...FIELD_NAMES, ...(Object.keys(STAMP_FIELDS) as StampName[])];
export type FinderField = FieldName | StampName;

const finderSpec = (name: FinderField) => (name in STAMP_FIELDS ? STAMP_FIELDS[name as StampName] : fieldSpec(name as FieldName));

/** How every screen names the fields of an interaction. */
export const FIELD_LABELS = Object.fromEntries(FINDER_FIELDS.map((name) => [name, finderSpec(name).label])) as Record<FinderField, string>;

export type SortField = { [K in FieldName]: Fields[K]['sortable'] extends true ? K : never }[FieldName] | StampName;
export const SORTABLE_FIELDS = FINDER_FIELDS.filter((name) => finderSpec(name).sortable) as SortField[];

export const DEFAULT_HIDDEN_FIELDS = FINDER_FIELDS.filter((name) => !finderSpec(name).shown);

export const isFieldName = (name: string): name is FieldName => Object.hasOwn(INTERACTION_FIELDS, name);

/** Required fields are those whose schema refuses an empty value. */
export const isRequired = (name: FieldName): boolean => !fieldSpec(name).schema.safeParse('').success;
