// Every screen's idea of an interaction's fields follows the one list: the form's schema, values and controls,
// the Finder's sort keys and columns, and the API types.
import { screen } from '@testing-library/react';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { HIDEABLE_COLUMNS, interactionColumns, isSortable } from '../finder/columns';
import { parseSort } from '../criteria/queryState';
import { InteractionFormPage } from '../interaction-form/InteractionFormPage';
import {
  emptyValues,
  interactionSchema,
  toInput,
  valuesFromInteraction,
  type InteractionFormOutput,
  type InteractionFormValues,
} from '../interaction-form/schema';
import { json, makeInteraction, mockApi, renderWithApp } from '../test/utils';
import {
  FIELD_LABELS,
  FIELD_NAMES,
  INTERACTION_FIELDS,
  STAMP_FIELDS,
  fieldSpec,
  type FieldName,
  type InteractionInput,
} from './interactionFields';
import type { Interaction } from './types';

const STAMPS = Object.keys(STAMP_FIELDS);
const sorted = (names: Iterable<string>) => [...names].sort();

describe('the interaction field list', () => {
  it('is what the form validates, in the same order', () => {
    expect(Object.keys(interactionSchema.shape)).toEqual(FIELD_NAMES);
  });

  it('is what the form holds and what it sends', () => {
    expect(Object.keys(emptyValues('UTC'))).toEqual(FIELD_NAMES);
    const values = valuesFromInteraction(makeInteraction());
    expect(Object.keys(values)).toEqual(FIELD_NAMES);
    const output = interactionSchema.parse(values);
    expect(Object.keys(toInput(output))).toEqual(FIELD_NAMES);
  });

  it('gives the Finder one column per field, then the stamps, each under its label', () => {
    expect(interactionColumns.map((c) => c.id)).toEqual([...FIELD_NAMES, ...STAMPS]);
    for (const column of interactionColumns) expect(column.header).toBe(FIELD_LABELS[column.id as FieldName]);
    expect(HIDEABLE_COLUMNS.map((c) => c.id)).toEqual([...FIELD_NAMES, ...STAMPS].filter((id) => id !== 'title'));
  });

  it('decides which columns sort, and the URL accepts exactly those sort keys', () => {
    const sortable = [...FIELD_NAMES.filter((name) => fieldSpec(name).sort !== false), ...STAMPS];
    expect(interactionColumns.map((c) => c.id).filter((id) => id !== undefined && isSortable(id))).toEqual(sortable);
    expect(parseSort(sortable.join(',')).map((s) => s.field)).toEqual(sortable);
    const unsortable = FIELD_NAMES.filter((name) => fieldSpec(name).sort === false);
    expect(unsortable.length).toBeGreaterThan(0);
    for (const name of unsortable) expect(parseSort(name)).toEqual(parseSort(null));
  });

  it('types the API body, the stored record and the form values by the same names', () => {
    expectTypeOf<keyof InteractionInput>().toEqualTypeOf<FieldName>();
    expectTypeOf<keyof InteractionFormValues>().toEqualTypeOf<FieldName>();
    expectTypeOf<InteractionFormOutput>().toEqualTypeOf<InteractionInput>();
    expectTypeOf<Pick<Interaction, FieldName>>().toEqualTypeOf<InteractionInput>();
    expect(sorted(Object.keys(INTERACTION_FIELDS))).toEqual(sorted(FIELD_NAMES));
  });

  it('puts one labelled control per field on the form', async () => {
    mockApi({ 'GET /api/meta/timezones': () => json({ items: ['Europe/Berlin', 'UTC'] }) });
    renderWithApp(<InteractionFormPage />, { path: '/interactions/new', route: '/interactions/new' });
    await screen.findByLabelText(/^Title/);
    for (const name of FIELD_NAMES) {
      const controls = screen.getAllByLabelText(new RegExp(`^${fieldSpec(name).label}`));
      expect(controls.filter((c) => ['INPUT', 'SELECT', 'TEXTAREA'].includes(c.tagName))).toHaveLength(1);
    }
  });
});
