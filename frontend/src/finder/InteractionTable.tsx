// The Finder's table: server-sorted headers (shift-click adds a sort key), skeleton rows, rows that open the form.
import { flexRender, getCoreRowModel, useReactTable, type VisibilityState } from '@tanstack/react-table';
import type { KeyboardEvent, MouseEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { FIELD_LABELS, type FinderField, type SortField } from '../api/interactionFields';
import type { Interaction } from '../api/types';
import { SortableHeader } from '../components/SortableHeader';
import { interactionColumns, isSortable, type FinderTableMeta } from './columns';
import type { DisplayZone } from './displayZone';
import type { SortItem } from '../criteria/queryState';

interface Props {
  rows: Interaction[];
  sort: readonly SortItem[];
  onSort: (field: SortField, multi: boolean) => void;
  columnVisibility: VisibilityState;
  /** The zone times are shown in (default: each record's own). */
  display?: DisplayZone;
  /** Show placeholder rows instead of data (first load). */
  skeletonRows?: number;
  busy?: boolean;
}

/** Up/Down arrows move between rows, as in a spreadsheet; Enter on the focused row opens it (it is a link). */
function moveFocus(event: KeyboardEvent<HTMLTableElement>) {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  const links = Array.from(event.currentTarget.querySelectorAll<HTMLAnchorElement>('a[data-row-link]'));
  const index = links.indexOf(document.activeElement as HTMLAnchorElement);
  if (index === -1) return;
  const next = links[index + (event.key === 'ArrowDown' ? 1 : -1)];
  if (next) {
    event.preventDefault();
    next.focus();
  }
}

const OWN_ZONES: DisplayZone = { mode: 'record', zone: null };

export function InteractionTable({ rows, sort, onSort, columnVisibility, display = OWN_ZONES, skeletonRows = 0, busy = false }: Props) {
  const navigate = useNavigate();
  const table = useReactTable({
    data: rows,
    columns: interactionColumns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => String(row.id),
    state: { columnVisibility },
    meta: { display } satisfies FinderTableMeta,
    manualSorting: true,
    manualPagination: true,
  });

  const openRow = (event: MouseEvent<HTMLTableRowElement>, id: number) => {
    const target = event.target as HTMLElement;
    // Links handle themselves (and ctrl/middle-click to a new tab); selecting text must not navigate.
    if (target.closest('a, button, input') || window.getSelection()?.toString()) return;
    navigate(`/interactions/${id}`);
  };

  const multi = sort.length > 1;
  const visibleColumns = table.getVisibleLeafColumns();

  return (
    <div className="table-wrap">
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions -- arrow-key row navigation */}
      <table className="data-table finder-table" aria-busy={busy} aria-rowcount={rows.length || undefined} onKeyDown={moveFocus}>
        <caption className="visually-hidden">
          Interactions. Column headers sort; hold Shift to sort by several columns.
        </caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const field = header.column.id as FinderField;
                if (!isSortable(field)) {
                  return (
                    <th key={header.id} scope="col" className={`col-${field}`}>
                      <span className="header-label">{FIELD_LABELS[field]}</span>
                    </th>
                  );
                }
                const position = sort.findIndex((s) => s.field === field);
                const item = sort[position];
                return (
                  <SortableHeader
                    key={header.id}
                    label={FIELD_LABELS[field]}
                    direction={item ? (item.desc ? 'desc' : 'asc') : false}
                    onSort={(multi) => onSort(field, multi)}
                    rank={multi && item ? position + 1 : undefined}
                    title="Sort (Shift+click to add to the sort)"
                    className={`col-${field}`}
                  />
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {skeletonRows > 0
            ? Array.from({ length: skeletonRows }, (_, i) => (
                <tr key={`skeleton-${i}`} className="skeleton-row" aria-hidden="true">
                  {visibleColumns.map((column) => (
                    <td key={column.id}>
                      <span className="skeleton" />
                    </td>
                  ))}
                </tr>
              ))
            : table.getRowModel().rows.map((row) => (
                // The title link is the keyboard path to the form; a click anywhere on the row is a mouse shortcut.
                <tr key={row.id} className="data-row" onClick={(e) => openRow(e, row.original.id)}>
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id} data-label={FIELD_LABELS[cell.column.id as FinderField]} className={`col-${cell.column.id}`}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  ))}
                </tr>
              ))}
        </tbody>
      </table>
    </div>
  );
}
