// One schema for the form: the API's rules as inline validation, and the types the form works with.
import { z } from 'zod';
import { INTERACTION_TYPES, type Interaction, type InteractionInput } from '../api/types';
import { fromLocalInput, isValidTimeZone, localInputMillis, toLocalInput } from '../lib/datetime';

export const LIMITS = { title: 200, lead: 100, location: 200, description: 5000, notes: 5000 } as const;

const tooLong = (n: number) => `Use at most ${n.toLocaleString('en-GB')} characters.`;

export const interactionSchema = z
  .object({
    title: z.string().trim().min(1, 'Enter a title.').max(LIMITS.title, tooLong(LIMITS.title)),
    type: z.enum(INTERACTION_TYPES, { error: 'Choose a type.' }),
    lead: z.string().trim().min(1, 'Enter who leads this interaction.').max(LIMITS.lead, tooLong(LIMITS.lead)),
    // Wall-clock "YYYY-MM-DDTHH:mm" in `timezone`; names match the API so its field errors land here too.
    start_datetime: z.string().min(1, 'Enter when it starts.'),
    end_datetime: z.string().min(1, 'Enter when it ends.'),
    timezone: z
      .string()
      .min(1, 'Choose a time zone.')
      .refine(isValidTimeZone, 'Choose a time zone from the list (for example Europe/Berlin).'),
    location: z.string().trim().max(LIMITS.location, tooLong(LIMITS.location)),
    description: z.string().max(LIMITS.description, tooLong(LIMITS.description)),
    notes: z.string().max(LIMITS.notes, tooLong(LIMITS.notes)),
  })
  .superRefine((values, ctx) => {
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

/** What the inputs hold (type may still be empty before a choice is made). */
export type InteractionFormValues = Omit<z.input<typeof interactionSchema>, 'type'> & { type: string };
export type InteractionFormOutput = z.output<typeof interactionSchema>;

export const FIELD_NAMES = [
  'title',
  'type',
  'lead',
  'start_datetime',
  'end_datetime',
  'timezone',
  'location',
  'description',
  'notes',
] as const satisfies readonly (keyof InteractionFormValues)[];

export const emptyValues = (timezone: string): InteractionFormValues => ({
  title: '',
  type: '',
  lead: '',
  start_datetime: '',
  end_datetime: '',
  timezone,
  location: '',
  description: '',
  notes: '',
});

export const valuesFromInteraction = (item: Interaction): InteractionFormValues => ({
  title: item.title,
  type: item.type,
  lead: item.lead,
  start_datetime: toLocalInput(item.start_datetime, item.timezone),
  end_datetime: toLocalInput(item.end_datetime, item.timezone),
  timezone: item.timezone,
  location: item.location,
  description: item.description,
  notes: item.notes,
});

/** The API body: wall-clock entries become ISO 8601 instants with the zone's offset. */
export function toInput(values: InteractionFormOutput): InteractionInput {
  return {
    title: values.title,
    type: values.type,
    lead: values.lead,
    start_datetime: fromLocalInput(values.start_datetime, values.timezone) ?? values.start_datetime,
    end_datetime: fromLocalInput(values.end_datetime, values.timezone) ?? values.end_datetime,
    timezone: values.timezone,
    location: values.location,
    description: values.description,
    notes: values.notes,
  };
}
