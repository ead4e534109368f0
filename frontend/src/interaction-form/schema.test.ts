import { describe, expect, it } from 'vitest';
import { emptyValues, interactionSchema, toInput, valuesFromInteraction, type InteractionFormValues } from './schema';
import { makeInteraction } from '../test/utils';

const valid: InteractionFormValues = {
  ...emptyValues('Europe/Berlin'),
  title: 'Kick-off',
  type: 'Meeting',
  lead: 'Ana Lima',
  start_datetime: '2026-11-24T09:30',
  end_datetime: '2026-11-24T10:30',
};

function errorsOf(values: InteractionFormValues) {
  const result = interactionSchema.safeParse(values);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((i) => [i.path.join('.'), i.message]));
}

describe('Interaction form validation (the API rules)', () => {
  it('accepts a complete interaction', () => {
    expect(errorsOf(valid)).toEqual({});
  });

  it('requires title, type, lead, start, end and time zone', () => {
    const errors = errorsOf(emptyValues(''));
    expect(Object.keys(errors).sort()).toEqual(['end_datetime', 'lead', 'start_datetime', 'timezone', 'title', 'type']);
  });

  it('treats a title of spaces as missing', () => {
    expect(errorsOf({ ...valid, title: '   ' }).title).toBe('Enter a title.');
  });

  it('enforces the length limits', () => {
    const errors = errorsOf({
      ...valid,
      title: 'x'.repeat(201),
      lead: 'x'.repeat(101),
      location: 'x'.repeat(201),
      description: 'x'.repeat(5001),
      notes: 'x'.repeat(5001),
    });
    expect(Object.keys(errors).sort()).toEqual(['description', 'lead', 'location', 'notes', 'title']);
    expect(errors.title).toBe('Use at most 200 characters.');
    expect(errorsOf({ ...valid, title: 'x'.repeat(200), notes: 'x'.repeat(5000) })).toEqual({});
  });

  it('reports an end before the start on the end field', () => {
    expect(errorsOf({ ...valid, end_datetime: '2026-11-24T09:00' })).toEqual({
      end_datetime: 'The end must be the same as or after the start.',
    });
  });

  it('allows an end equal to the start', () => {
    expect(errorsOf({ ...valid, end_datetime: valid.start_datetime })).toEqual({});
  });

  it('only accepts IANA time zone names and known types', () => {
    expect(errorsOf({ ...valid, timezone: 'Mars/Olympus' }).timezone).toMatch(/from the list/);
    expect(errorsOf({ ...valid, type: 'Party' }).type).toBe('Choose a type.');
  });

  it('sends the wall-clock times with the chosen zone’s offset', () => {
    const input = toInput(interactionSchema.parse(valid));
    expect(input.start_datetime).toBe('2026-11-24T09:30:00+01:00');
    expect(input.end_datetime).toBe('2026-11-24T10:30:00+01:00');
    const summer = toInput(interactionSchema.parse({ ...valid, start_datetime: '2026-07-01T09:30', end_datetime: '2026-07-01T10:00' }));
    expect(summer.start_datetime).toBe('2026-07-01T09:30:00+02:00');
  });

  it('loads a stored interaction as wall-clock time in its own zone', () => {
    const values = valuesFromInteraction(makeInteraction({ start_datetime: '2026-11-24T08:30:00Z', timezone: 'America/New_York' }));
    expect(values.start_datetime).toBe('2026-11-24T03:30');
  });
});
