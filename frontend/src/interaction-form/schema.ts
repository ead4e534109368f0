// One schema for the form, built from the field list: the API's rules as inline validation, and the types the form works with.
import { z } from 'zod';
import { FIELD_NAMES, FIELD_SCHEMAS, fieldSpec, type FieldName, type InteractionInput } from '../api/interactionFields';
import type { Interaction } from '../api/types';
import { fromLocalInput, isValidTimeZone, localInputMillis, toLocalInput } from '../lib/datetime';

export const interactionSchema = z.object(FIELD_SCHEMAS).superRefine((values, ctx) => {
  if (!isValidTimeZone(values.timezone)) return;
  const start = localInputMillis(values.start_datetime, values.timezone);
  const end = localInputMillis(values.end_datetime, values.timezone);
  if (values.start_datetime && start === null) {
    ctx.addIssue({ code: 'custom', path: ['start_datetime'], message: 'Enter a valid date and time.' });
  }
  if (values.end_datetime && end === null) {
    ctx.addIssue({ code: 'custom', path: ['end_datetime'], message: 'Enter a valid date and time.' });
  }
  if (start !== null && end !== null && end < start) {
    ctx.addIssue({ code: 'custom', path: ['end_datetime'], message: 'The end must be the same as or after the start.' });
  }
});

/** What the inputs hold: text, with a choice still empty before one is made. */
export type InteractionFormValues = Record<FieldName, string>;
export type InteractionFormOutput = z.output<typeof interactionSchema>;

const fromEach = <V>(value: (name: FieldName) => V) =>
  Object.fromEntries(FIELD_NAMES.map((name) => [name, value(name)])) as Record<FieldName, V>;

export const emptyValues = (timezone: string): InteractionFormValues => ({ ...fromEach(() => ''), timezone });

/** Datetimes become wall-clock entries in the record's own zone; everything else is shown as stored. */
export const valuesFromInteraction = (item: Interaction): InteractionFormValues =>
  fromEach((name) => (fieldSpec(name).kind === 'datetime' ? toLocalInput(item[name], item.timezone) : item[name]));

/** The API body: wall-clock entries become ISO 8601 instants with the zone's offset. */
export const toInput = (values: InteractionFormOutput): InteractionInput =>
  fromEach((name) =>
    fieldSpec(name).kind === 'datetime' ? (fromLocalInput(values[name], values.timezone) ?? values[name]) : values[name],
  ) as InteractionInput;
