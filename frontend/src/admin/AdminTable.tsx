// A paged list of the administration area: loading, error and empty states, the table (TanStack Table) and its pager.
import type { UseQueryResult } from '@tanstack/react-query';
import { getCoreRowModel, useReactTable, type ColumnDef, type ColumnDefTemplate, type OnChangeFn, type RowData, type SortingState } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import { describeError } from '../api/client';
import type { Page } from '../api/types';
import { Pager } from '../components/Pager';
import { SortableHeader } from '../components/SortableHeader';
import { Spinner } from '../components/Spinner';

declare module '@tanstack/react-table' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the names must match TanStack's declaration
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Class of the column's cells, e.g. "col-title". */
    className?: string;
    /** The header is read by screen readers only (an actions column). */
    hideHeader?: boolean;
  }
}

/** A column whose header text doubles as its cells' label in the phone layout (CSS shows data-label). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- TanStack's own column lists mix value types this way
export type AdminColumn<T> = ColumnDef<T, any> & { header: string };

/** Server-side sorting by one column at a time: a click sorts ascending, the next click flips it. */
export interface AdminSorting {
  state: SortingState;
  onChange: OnChangeFn<SortingState>;
}

interface AdminTableProps<T> {
  /** The page's query: its pending, error and fetching states are the table's. */
  list: UseQueryResult<Page<T>>;
  columns: AdminColumn<T>[];
  /** The property that identifies a row. */
  rowKey: keyof T;
  /** Extra attributes of a row, e.g. data-member for tests and styling hooks. */
  rowProps?: (row: T) => Record<`data-${string}`, string>;
  /** The spinner's text, the one-cell row of an empty page, the pager's accessible name. */
  labels: { loading: string; empty: ReactNode; pager: string };
  onPage: (page: number) => void;
  sorting?: AdminSorting;
}

/**
 * Cells are called as functions, not mounted as components (as flexRender would): pages build their columns on
 * each render, closing over their handlers, and a new component type per render would remount every cell and
 * drop the focus of a control inside it.
 */
const render = <C extends object>(template: ColumnDefTemplate<C> | undefined, context: C): ReactNode =>
  typeof template === 'function' ? (template(context) as ReactNode) : template;

export function AdminTable<T>({ list, columns, rowKey, rowProps, labels, onPage, sorting }: AdminTableProps<T>) {
  const table = useReactTable({
    data: list.data?.items ?? [],
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => String(row[rowKey]),
    manualSorting: true,
    enableSorting: Boolean(sorting),
    enableMultiSort: false,
    enableSortingRemoval: false,
    sortDescFirst: false,
    state: sorting ? { sorting: sorting.state } : {},
    onSortingChange: sorting?.onChange,
  });

  if (list.isPending) return <Spinner label={labels.loading} />;
  if (list.isError) {
    return (
      <p className="notice notice--error" role="alert">
        {describeError(list.error)}
      </p>
    );
  }
  const data = list.data;
  return (
    <>
      <div className="table-wrap">
        <table className="data-table admin-table" aria-busy={list.isFetching}>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map(({ id, column }) => {
                  const label = column.columnDef.header as string;
                  if (!column.getCanSort()) {
                    return <th key={id}>{column.columnDef.meta?.hideHeader ? <span className="visually-hidden">{label}</span> : label}</th>;
                  }
                  return <SortableHeader key={id} label={label} direction={column.getIsSorted()} onSort={() => column.toggleSorting()} />;
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {data.items.length === 0 && (
              <tr>
                <td colSpan={columns.length}>{labels.empty}</td>
              </tr>
            )}
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} {...rowProps?.(row.original)}>
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className={cell.column.columnDef.meta?.className} data-label={cell.column.columnDef.header as string}>
                    {render(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager
        label={labels.pager}
        page={data.page}
        pages={data.pages}
        total={data.total}
        pageSize={data.page_size}
        shown={data.items.length}
        onPage={onPage}
      />
    </>
  );
}
