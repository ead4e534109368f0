// The Finder's table: server-sorted headers (shift-click adds a sort key), skeleton rows, rows that open the form, and
// for editors a checkbox per row (and one for the page) that selects rows for a bulk action.
import { flexRender, getCoreRowModel, useReactTable, type RowSelectionState, type VisibilityState } from '@tanstack/react-table';
import { useEffect, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { FIELD_LABELS, type FinderField, type SortField } from '../api/interactionFields';
import type { Interaction } from '../api/types';
import { SortableHeader } from '../components/SortableHeader';
import { interactionColumns, isSortable, rowTitleId, type FinderTableMeta } from './columns';
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
  /** Checkboxes for a bulk action: which rows are selected, and what a click on a row's or the page's box does. */
  selection?: RowSelection;
}

export interface RowSelection {
  isSelected: (id: number) => boolean;
  onToggleRow: (row: Interaction) => void;
  onTogglePage: () => void;
}

/** Up/Down arrows move between rows, as in a spreadsheet; Enter on the focused row opens it (it is a link); Space
 * ticks its checkbox when there is one. */
function moveFocus(event: KeyboardEvent<HTMLTableElement>) {
  const links = Array.from(event.currentTarget.querySelectorAll<HTMLAnchorElement>('a[data-row-link]'));
  const index = links.indexOf(document.activeElement as HTMLAnchorElement);
  if (event.key === ' ' && index !== -1) {
    const box = links[index]!.closest('tr')?.querySelector<HTMLInputElement>('input[data-row-select]');
    if (box) {
      event.preventDefault();
      box.click();
    }
    return;
  }
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  if (index === -1) return;
  const next = links[index + (event.key === 'ArrowDown' ? 1 : -1)];
  if (next) {
    event.preventDefault();
    next.focus();
  }
}

const OWN_ZONES: DisplayZone = { mode: 'record', zone: null };

/** The page's checkbox: ticked, empty, or in between (some rows) as `indeterminate`, which has no attribute. */
function PageCheckbox({ checked, some, onChange }: { checked: boolean; some: boolean; onChange: () => void }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = some;
  }, [some]);
  return (
    <label className="row-select-hit">
      <input ref={ref} type="checkbox" className="row-select" checked={checked} onChange={onChange} aria-label="Select every row on this page" />
    </label>
  );
}

export function InteractionTable({ rows, sort, onSort, columnVisibility, display = OWN_ZONES, skeletonRows = 0, busy = false, selection }: Props) {
  const navigate = useNavigate();
  const rowSelection: RowSelectionState = selection
    ? Object.fromEntries(rows.filter((row) => selection.isSelected(row.id)).map((row) => [String(row.id), true]))
    : {};
  const table = useReactTable({
    data: rows,
    columns: interactionColumns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => String(row.id),
    enableRowSelection: Boolean(selection),
    state: { columnVisibility, rowSelection },
    meta: { display } satisfies FinderTableMeta,
    manualSorting: true,
    manualPagination: true,
  });

  const openRow = (event: MouseEvent<HTMLTableRowElement>, id: number) => {
    const target = event.target as HTMLElement;
    // Links handle themselves (and ctrl/middle-click to a new tab); selecting text must not navigate.
    if (target.closest('a, button, input, label') || window.getSelection()?.toString()) return;
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
              {selection && (
                <th scope="col" className="col-select">
                  <PageCheckbox
                    checked={table.getIsAllRowsSelected()}
                    some={table.getIsSomeRowsSelected()}
                    onChange={selection.onTogglePage}
                  />
                </th>
              )}
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
                  {selection && <td className="col-select" />}
                  {visibleColumns.map((column) => (
                    <td key={column.id}>
                      <span className="skeleton" />
                    </td>
                  ))}
                </tr>
              ))
            : table.getRowModel().rows.map((row) => (
                // The title link is the keyboard path to the form; a click anywhere on the row is a mouse shortcut.
                <tr
                  key={row.id}
                  className={`data-row${row.getIsSelected() ? ' data-row--selected' : ''}`}
                  onClick={(e) => openRow(e, row.original.id)}
                >
                  {selection && (
                    <td className="col-select" data-label="Select">
                      {/* the whole cell ticks the box: a larger target than the box alone; the row's title is its
                          description, not its name, so the name stays one short phrase whatever the titles say */}
                      <label className="row-select-hit">
                        <input
                          type="checkbox"
                          className="row-select"
                          data-row-select
                          checked={row.getIsSelected()}
                          onChange={() => selection.onToggleRow(row.original)}
                          aria-label="Select row"
                          aria-describedby={rowTitleId(row.original.id)}
                        />
                      </label>
                    </td>
                  )}
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
