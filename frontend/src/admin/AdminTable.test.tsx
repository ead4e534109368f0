import type { UseQueryResult } from '@tanstack/react-query';
import type { SortingState } from '@tanstack/react-table';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import type { Page } from '../api/types';
import { AdminTable, type AdminColumn } from './AdminTable';

interface Row {
  id: number;
  name: string;
  size: number;
}

const LABELS = { loading: 'Loading rows…', empty: 'No rows.', pager: 'Row pages' };
const page = (items: Row[]): Page<Row> => ({ items, page: 1, page_size: 25, total: items.length, pages: 1 });
const loaded = (items: Row[]) => ({ isPending: false, isError: false, isFetching: false, data: page(items) }) as UseQueryResult<Page<Row>>;
const noPage = () => {};

function Sortable({ rows }: { rows: Row[] }) {
  const [sorting, setSorting] = useState<SortingState>([{ id: 'name', desc: false }]);
  const columns: AdminColumn<Row>[] = [
    { accessorKey: 'name', header: 'Name', meta: { className: 'col-title' } },
    { accessorKey: 'size', header: 'Size' },
    { id: 'actions', header: 'Actions', meta: { hideHeader: true }, cell: ({ row }) => <button type="button">Open {row.original.name}</button> },
  ];
  return (
    <>
      <output data-testid="sort">{JSON.stringify(sorting)}</output>
      <AdminTable list={loaded(rows)} columns={columns} rowKey="id" labels={LABELS} onPage={noPage} sorting={{ state: sorting, onChange: setSorting }} />
    </>
  );
}

describe('Admin table', () => {
  it('shows the loading, error and empty states', () => {
    const columns: AdminColumn<Row>[] = [{ accessorKey: 'name', header: 'Name' }, { accessorKey: 'size', header: 'Size' }];
    const { rerender } = render(<AdminTable list={{ isPending: true } as UseQueryResult<Page<Row>>} columns={columns} rowKey="id" labels={LABELS} onPage={noPage} />);
    expect(screen.getByRole('status', { name: 'Loading rows…' })).toBeInTheDocument();
    const failed = { isPending: false, isError: true, error: new ApiError(404, 'not_found', 'This site is gone.') } as unknown as UseQueryResult<Page<Row>>;
    rerender(<AdminTable list={failed} columns={columns} rowKey="id" labels={LABELS} onPage={noPage} />);
    expect(screen.getByRole('alert')).toHaveTextContent('This site is gone.');
    rerender(<AdminTable list={loaded([])} columns={columns} rowKey="id" labels={LABELS} onPage={noPage} />);
    expect(screen.getByRole('cell', { name: 'No rows.' })).toHaveAttribute('colspan', '2');
    expect(screen.getByRole('navigation', { name: 'Row pages' })).toBeInTheDocument();
  });

  it('labels each cell with its header, for the phone layout', () => {
    render(<Sortable rows={[{ id: 1, name: 'Ada', size: 3 }]} />);
    const cell = screen.getByRole('cell', { name: 'Ada' });
    expect(cell).toHaveAttribute('data-label', 'Name');
    expect(cell).toHaveClass('col-title');
    expect(screen.getByRole('columnheader', { name: 'Actions' }).firstElementChild).toHaveClass('visually-hidden');
  });

  it('sorts by one column: ascending first, then the other way', async () => {
    render(<Sortable rows={[{ id: 1, name: 'Ada', size: 3 }]} />);
    const name = screen.getByRole('columnheader', { name: /Name/ });
    expect(name).toHaveAttribute('aria-sort', 'ascending');
    await userEvent.click(within(name).getByRole('button'));
    expect(name).toHaveAttribute('aria-sort', 'descending');
    await userEvent.click(within(name).getByRole('button'));
    expect(name).toHaveAttribute('aria-sort', 'ascending');
    await userEvent.click(within(screen.getByRole('columnheader', { name: /Size/ })).getByRole('button'));
    expect(screen.getByTestId('sort')).toHaveTextContent('[{"id":"size","desc":false}]');
    expect(name).not.toHaveAttribute('aria-sort');
    expect(screen.queryByRole('button', { name: /Actions/ })).not.toBeInTheDocument();
  });

  it('keeps the focus in a cell when the page renders again with new columns', async () => {
    function Counter() {
      const [count, setCount] = useState(0);
      const columns: AdminColumn<Row>[] = [
        { id: 'count', header: 'Count', cell: () => <button type="button" onClick={() => setCount((c) => c + 1)}>Clicked {count}</button> },
      ];
      return <AdminTable list={loaded([{ id: 1, name: 'Ada', size: 3 }])} columns={columns} rowKey="id" labels={LABELS} onPage={noPage} />;
    }
    render(<Counter />);
    await userEvent.click(screen.getByRole('button', { name: 'Clicked 0' }));
    expect(screen.getByRole('button', { name: 'Clicked 1' })).toHaveFocus();
  });
});
