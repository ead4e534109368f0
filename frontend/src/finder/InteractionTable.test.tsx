import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { makeInteraction, renderWithApp } from '../test/utils';
import { InteractionTable } from './InteractionTable';
import type { SortItem } from '../criteria/queryState';

const rows = [
  makeInteraction({ id: 1, title: 'Alpha call', type: 'Call' }),
  makeInteraction({ id: 2, title: 'Beta visit', type: 'Visit', location: '' }),
  makeInteraction({ id: 3, title: 'Gamma training', type: 'Training' }),
];
const sort: SortItem[] = [{ field: 'start_datetime', desc: true }];

function setup(props: Partial<Parameters<typeof InteractionTable>[0]> = {}) {
  const onSort = vi.fn();
  const utils = renderWithApp(
    <InteractionTable rows={rows} sort={sort} onSort={onSort} columnVisibility={{ timezone: false }} {...props} />,
    { path: '/interactions', route: '/interactions' },
  );
  return { ...utils, onSort };
}

describe('Finder table', () => {
  it('shows one row per interaction with its date in its own zone', () => {
    setup();
    const body = screen.getAllByRole('rowgroup')[1]!;
    expect(within(body).getAllByRole('row')).toHaveLength(3);
    expect(screen.getAllByText('24/11/2026, 09:30 CET')).toHaveLength(3);
    // The end on the same day shows only its time.
    expect(screen.getAllByText('10:30 CET')).toHaveLength(3);
  });

  it('marks the sorted column for assistive technology', () => {
    setup({ sort: [{ field: 'title', desc: false }] });
    expect(screen.getByRole('columnheader', { name: /Title/ })).toHaveAttribute('aria-sort', 'ascending');
    expect(screen.getByRole('columnheader', { name: /Lead/ })).not.toHaveAttribute('aria-sort');
  });

  it('sorts on header click and adds a sort key on shift-click', async () => {
    const { onSort } = setup();
    await userEvent.click(screen.getByRole('button', { name: /^Lead/ }));
    expect(onSort).toHaveBeenLastCalledWith('lead', false);
    fireEvent.click(screen.getByRole('button', { name: /^Type/ }), { shiftKey: true });
    expect(onSort).toHaveBeenLastCalledWith('type', true);
  });

  it('numbers the columns of a multi-column sort', () => {
    setup({ sort: [{ field: 'type', desc: false }, { field: 'title', desc: true }] });
    expect(screen.getByLabelText('sort priority 1')).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: /Title/ })).toHaveAttribute('aria-sort', 'descending');
  });

  it('hides columns that are switched off', () => {
    setup({ columnVisibility: { location: false, timezone: false } });
    expect(screen.queryByRole('columnheader', { name: /Location/ })).not.toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: /Lead/ })).toBeInTheDocument();
  });

  it('opens the form when a row is clicked', async () => {
    setup();
    await userEvent.click(screen.getByText('Beta visit').closest('tr')!.querySelector('td:nth-child(3)')!);
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/interactions/2'));
  });

  it('reaches every row by keyboard and moves between rows with the arrow keys', async () => {
    setup();
    const links = screen.getAllByRole('link');
    expect(links.map((l) => l.getAttribute('href'))).toEqual(['/interactions/1', '/interactions/2', '/interactions/3']);
    links[0]!.focus();
    await userEvent.keyboard('{ArrowDown}');
    await waitFor(() => expect(links[1]).toHaveFocus());
    await userEvent.keyboard('{ArrowDown}{ArrowDown}');
    await waitFor(() => expect(links[2]).toHaveFocus());
    await userEvent.keyboard('{ArrowUp}');
    await waitFor(() => expect(links[1]).toHaveFocus());
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/interactions/2'));
  });

  it('shows skeleton rows while the first page loads', () => {
    const { container } = setup({ rows: [], skeletonRows: 5 });
    expect(container.querySelectorAll('tr.skeleton-row')).toHaveLength(5);
  });

  it('cuts long descriptions and notes to a line and shows all of them on hover and on keyboard focus', async () => {
    const long = `Agenda: ${'budget and planning '.repeat(20)}end.`;
    setup({ rows: [makeInteraction({ id: 1, description: long, notes: '' })], columnVisibility: {} });
    const cell = screen.getByText(long);
    expect(cell).toHaveClass('truncated');
    expect(screen.queryByTestId('cell-tooltip')).not.toBeInTheDocument();
    await userEvent.hover(cell);
    expect(await screen.findByTestId('cell-tooltip')).toHaveTextContent(long);
    await userEvent.unhover(cell);
    await waitFor(() => expect(screen.queryByTestId('cell-tooltip')).not.toBeInTheDocument());
    cell.focus();
    expect(await screen.findByTestId('cell-tooltip')).toHaveTextContent(long);
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByTestId('cell-tooltip')).not.toBeInTheDocument());
    // Empty notes read as a dash, not an empty focus stop.
    expect(within(screen.getByText(long).closest('tr')!).getByText('—')).toBeInTheDocument();
  });

  it('shows every row in one zone, with the record’s own time one glance away', () => {
    setup({
      rows: [
        makeInteraction({ id: 1, title: 'Early', start_datetime: '2026-11-24T10:00:00Z', end_datetime: '2026-11-24T11:00:00Z', timezone: 'America/New_York' }),
        makeInteraction({ id: 2, title: 'Later', start_datetime: '2026-11-24T12:00:00Z', end_datetime: '2026-11-24T13:00:00Z', timezone: 'Asia/Kolkata' }),
      ],
      display: { mode: 'viewer', zone: 'Europe/London' },
    });
    const early = screen.getByText('24/11/2026, 10:00 GMT');
    expect(early).toHaveAttribute('title', '24/11/2026, 05:00 EST (America/New_York), the interaction’s own time zone');
    expect(screen.getByText('05:00 EST there')).toBeInTheDocument();
    expect(screen.getByText('24/11/2026, 12:00 GMT')).toBeInTheDocument();
    expect(screen.getByText('17:30 IST there')).toBeInTheDocument();
  });
});
