import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { makeInteraction, renderWithApp } from '../test/utils';
import { InteractionTable } from './InteractionTable';
import type { SortItem } from './queryState';

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
    expect(screen.getAllByText('24 Nov 2026, 09:30 CET')).toHaveLength(3);
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
    expect(screen.getByTestId('location')).toHaveTextContent('/interactions/2');
  });

  it('reaches every row by keyboard and moves between rows with the arrow keys', async () => {
    setup();
    const links = screen.getAllByRole('link');
    expect(links.map((l) => l.getAttribute('href'))).toEqual(['/interactions/1', '/interactions/2', '/interactions/3']);
    links[0]!.focus();
    await userEvent.keyboard('{ArrowDown}');
    expect(links[1]).toHaveFocus();
    await userEvent.keyboard('{ArrowDown}{ArrowDown}');
    expect(links[2]).toHaveFocus();
    await userEvent.keyboard('{ArrowUp}');
    expect(links[1]).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    expect(screen.getByTestId('location')).toHaveTextContent('/interactions/2');
  });

  it('shows skeleton rows while the first page loads', () => {
    const { container } = setup({ rows: [], skeletonRows: 5 });
    expect(container.querySelectorAll('tr.skeleton-row')).toHaveLength(5);
  });
});
