// One schema for the form, built from the field list: the API's rules as inline validation, and the types the form works with.
import { z } from 'zod';
import { startingValues, type FieldList } from '../api/fieldList';
import { FIELD_NAMES, FIELD_SCHEMAS, INTERACTION_FIELDS, fieldSpec, type FieldName, type InteractionInput } from '../api/interactionFields';
import type { Interaction } from '../api/types';
import { fromLocalInput, isValidTimeZone, localInputMillis, toLocalInput } from '../lib/datetime';

/** The start and end read as wall-clock times in the chosen zone: each a real time, the end not before the start. */
function whenInOrder(values: Record<string, unknown>, ctx: z.RefinementCtx) {
  const text = (name: string) => String(values[name] ?? '');
  const [timezone, startText, endText] = [text('timezone'), text('start_datetime'), text('end_datetime')];
  if (!isValidTimeZone(timezone)) return;
  const start = localInputMillis(startText, timezone);
  const end = localInputMillis(endText, timezone);
  if (startText && start === null) {
    ctx.addIssue({ code: 'custom', path: ['start_datetime'], message: 'Enter a valid date and time.' });
  }
  if (endText && end === null) {
    ctx.addIssue({ code: 'custom', path: ['end_datetime'], message: 'Enter a valid date and time.' });
  }
  if (start !== null && end !== null && end < start) {
    ctx.addIssue({ code: 'custom', path: ['end_datetime'], message: 'The end must be the same as or after the start.' });
  }
}

/** The form's schema for a field list: each field's rule, and the start and end in order. */
export const formSchemaOf = (fields: FieldList) =>
  z.object(Object.fromEntries(Object.entries(fields).map(([name, spec]) => [name, spec.schema]))).superRefine(whenInOrder);

export const interactionSchema = z.object(FIELD_SCHEMAS).superRefine(whenInOrder);

/** What the inputs hold: text, with a choice still empty before one is made. */
export type InteractionFormValues = Record<FieldName, string>;
export type InteractionFormOutput = z.output<typeof interactionSchema>;

const fromEach = <V>(value: (name: FieldName) => V) =>
  Object.fromEntries(FIELD_NAMES.map((name) => [name, value(name)])) as Record<FieldName, V>;

/** A new record's values for a field list: each field's default (or empty), in the zone it starts in. */
export const emptyValuesOf = (fields: FieldList, timezone: string): Record<string, string> => ({ ...startingValues(fields), timezone });

export const emptyValues = (timezone: string): InteractionFormValues =>
  emptyValuesOf(INTERACTION_FIELDS, timezone) as InteractionFormValues;

/** Datetimes become wall-clock entries in the record's own zone; everything else is shown as stored. */
export const valuesFromInteraction = (item: Interaction): InteractionFormValues =>
  fromEach((name) => (fieldSpec(name).kind === 'datetime' ? toLocalInput(item[name], item.timezone) : item[name]));

/** The API body: wall-clock entries become ISO 8601 instants with the zone's offset. */
export const toInput = (values: InteractionFormOutput): InteractionInput =>
  fromEach((name) =>
    fieldSpec(name).kind === 'datetime' ? (fromLocalInput(values[name], values.timezone) ?? values[name]) : values[name],
  ) as InteractionInput;
