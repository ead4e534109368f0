// A field added to the field list reaches every screen by itself: the form's schema and starting values, the Finder's
// filter panel, chips, URL and API parameters, and the table's columns. The field — a priority, a choice with a default,
// filtered by any of its options and sorted by their rank — lives in this test's own list only.
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FilterChips } from '../criteria/FilterChips';
import { FiltersPanel } from '../criteria/FiltersPanel';
import { columnsOf } from '../finder/columns';
import { applyChange, defaultQuery, parseQuery, serializeQuery, toApiParams, type FinderQuery } from '../criteria/queryState';
import type { FinderQueryControls } from '../criteria/useFinderQuery';
import { emptyValuesOf, formSchemaOf } from '../interaction-form/schema';
import { makeInteraction } from '../test/utils';
import { filtersOf, sortableOf, type FieldList } from './fieldList';
import { INTERACTION_FIELDS, withStamps } from './interactionFields';
import type { Interaction } from './types';

const PRIORITIES = ['low', 'normal', 'high'] as const;

const WITH_PRIORITY = {
  ...INTERACTION_FIELDS,
  priority: {
    label: 'Priority',
    kind: 'choice',
    schema: z.enum(PRIORITIES, { error: 'Choose a priority.' }),
    options: PRIORITIES,
    default: 'normal',
    example: 'high',
    sort: 'rank',
    shown: true,
    filter: { by: 'anyOf' },
  },
} satisfies FieldList;

const FILTERS = filtersOf(WITH_PRIORITY);

/** The Finder's filter panel and chips over a query kept in memory, as the Finder keeps it in the URL. */
function Filters({ url = '' }: { url?: string }) {
  const [query, setQuery] = useState<FinderQuery>(() => parseQuery(new URLSearchParams(url), FILTERS));
  const controls: FinderQueryControls = {
    query,
    update: (change) => setQuery((current) => applyChange(current, change)),
    reset: () => setQuery(defaultQuery(FILTERS)),
  };
  return (
    <>
      <FiltersPanel id="filters" controls={controls} filters={FILTERS} />
      <FilterChips controls={controls} filters={FILTERS} />
      <output data-testid="url">{serializeQuery(query, FILTERS).toString()}</output>
    </>
  );
}

function Table({ columns, rows }: { columns: ColumnDef<Interaction>[]; rows: Interaction[] }) {
  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel() });
  return (
    <table>
      <tbody>
        {table.getRowModel().rows.map((row) => (
          <tr key={row.id}>
            {row.getVisibleCells().map((cell) => (
              <td key={cell.id} data-column={cell.column.id}>
                {flexRender(cell.column.columnDef.cell, cell.getContext())}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

describe('a choice field added to the field list', () => {
  it('is in the form’s schema with its rule, and a new record starts at its default', () => {
    const schema = formSchemaOf(WITH_PRIORITY);
    const empty = emptyValuesOf(WITH_PRIORITY, 'Europe/Berlin');
    expect(empty.priority).toBe('normal');
    expect(empty.location).toBe('');
    const filled = { ...empty, title: 'Review', type: 'Call', lead: 'Ana', start_datetime: '2026-05-01T10:00', end_datetime: '2026-05-01T11:00' };
    expect(schema.parse(filled)).toMatchObject({ priority: 'normal' });
    const refused = schema.safeParse({ ...filled, priority: 'urgent' });
    expect(refused.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([['priority', 'Choose a priority.']]);
  });

  it('is a Finder filter: its options read from and written to the URL in their order, and sent to the API', () => {
    const query = parseQuery(new URLSearchParams('priority=high&priority=urgent&priority=low&type=Call'), FILTERS);
    expect(query.filters.priority).toEqual(['low', 'high']);
    expect(serializeQuery(query, FILTERS).toString()).toBe('type=Call&priority=low&priority=high');
    expect(toApiParams(query, FILTERS)).toMatchObject({ priority: ['low', 'high'], type: ['Call'] });
    expect(serializeQuery(defaultQuery(FILTERS), FILTERS).toString()).toBe('');
  });

  it('gets a control in the filter panel, and a chip that removes it', async () => {
    render(<Filters />);
    const group = within(screen.getByRole('group', { name: 'Priority' }));
    expect(group.getAllByRole('checkbox').map((box) => box.closest('label')!.textContent)).toEqual([...PRIORITIES]);
    await userEvent.click(group.getByRole('checkbox', { name: 'high' }));
    await userEvent.click(group.getByRole('checkbox', { name: 'low' }));
    expect(screen.getByTestId('url')).toHaveTextContent(/^priority=low&priority=high$/);
    await userEvent.click(screen.getByRole('button', { name: 'Remove Priority: low, high' }));
    expect(screen.queryByRole('list', { name: 'Active filters' })).not.toBeInTheDocument();
    expect(group.getByRole('checkbox', { name: 'high' })).not.toBeChecked();
    expect(screen.getByTestId('url')).toBeEmptyDOMElement();
  });

  it('gets a sortable column in the Finder’s table, its value as a pill', () => {
    const columns = columnsOf(withStamps(WITH_PRIORITY));
    expect(columns.find((column) => column.id === 'priority')).toMatchObject({ header: 'Priority', enableSorting: true });
    expect(sortableOf(withStamps(WITH_PRIORITY))).toContain('priority');
    const row = { ...makeInteraction(), priority: 'high' } as Interaction;
    const { container } = render(
      <MemoryRouter>
        <Table columns={columns} rows={[row]} />
      </MemoryRouter>,
    );
    const cell = container.querySelector('td[data-column="priority"]');
    expect(cell?.querySelector('.pill')).toHaveTextContent('high');
  });
});

describe('a datetime range with clock filters', () => {
  const RANGE = { by: 'range', from: 'due_from', to: 'due_to', label: 'Due' } as const;
  const due = (filter: FieldList[string]['filter']): FieldList => ({ due: { ...INTERACTION_FIELDS.start_datetime, filter } });

  it('gives a clock filter (weekday, hour and their zone) beside the range, only when the range asks for it', () => {
    expect(filtersOf(due({ ...RANGE, clock: true })).map(({ by, params }) => [by, params])).toEqual([
      ['range', ['due_from', 'due_to']],
      ['clock', ['weekday', 'hour', 'tz']],
    ]);
    expect(filtersOf(due(RANGE)).map(({ by }) => by)).toEqual(['range']);
    expect(FILTERS.find((filter) => filter.by === 'clock')).toMatchObject({ field: 'start_datetime', label: 'Starts' });
  });

  it('reads a weekday, hour and zone from the URL, says them in a chip that clears them, and has no control', async () => {
    render(<Filters url="type=Call&weekday=2&hour=9&tz=Europe%2FBerlin&start_to=2026-05-10T23:59:59%2B02:00" />);
    const panel = within(screen.getByRole('region', { name: 'Filters' }));
    expect(panel.queryByLabelText(/weekday|hour/i)).not.toBeInTheDocument();
    const chips = within(screen.getByRole('list', { name: 'Active filters' }));
    expect(chips.getAllByRole('listitem').map((chip) => chip.querySelector('span')?.textContent)).toEqual([
      'Type: Call',
      'Starts on or before 10/05/2026, 23:59',
      'Starts on Tuesdays at 09:00–09:59 (Europe/Berlin)',
      undefined,
    ]);
    await userEvent.click(chips.getByRole('button', { name: 'Remove Starts on Tuesdays at 09:00–09:59 (Europe/Berlin)' }));
    expect(screen.getByTestId('url')).toHaveTextContent(/^type=Call&start_to=2026-05-10T23%3A59%3A59%2B02%3A00$/);
  });
});

describe('a text with an exact filter', () => {
  const contact = (filter: FieldList[string]['filter']): FieldList => ({
    contact: { ...INTERACTION_FIELDS.lead, label: 'Contact', filter },
  });

  it('gives an exact filter of its own parameter beside the substring one, only when the text asks for it', () => {
    expect(filtersOf(contact({ by: 'substring', exact: 'contact_is' })).map(({ by, label, params }) => [by, label, params])).toEqual([
      ['substring', 'Contact', ['contact']],
      ['exact', 'Contact is exactly', ['contact_is']],
    ]);
    expect(filtersOf(contact({ by: 'substring' })).map(({ by }) => by)).toEqual(['substring']);
  });

  it('reads an exact name from the URL, says it in a chip that clears it alone, and has no control', async () => {
    render(<Filters url="lead=an&lead_is=Ana+Lima" />);
    const panel = within(screen.getByRole('region', { name: 'Filters' }));
    expect(panel.getAllByRole('textbox', { name: /^Lead/ })).toHaveLength(1);
    const chips = within(screen.getByRole('list', { name: 'Active filters' }));
    expect(chips.getAllByRole('listitem').map((chip) => chip.querySelector('span')?.textContent)).toEqual([
      'Lead: an',
      'Lead is exactly: Ana Lima',
      undefined,
    ]);
    await userEvent.click(chips.getByRole('button', { name: 'Remove Lead is exactly: Ana Lima' }));
    expect(screen.getByTestId('url')).toHaveTextContent(/^lead=an$/);
  });
});
