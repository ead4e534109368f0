// The Finder's columns, one per field of the field list: labels, which are shown and sortable, and how each cell
// reads (by the field's kind, or an override below). The Columns menu is built from this list.
import type { CellContext, ColumnDef, Table } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { ColumnList, FieldKind } from '../api/fieldList';
import {
  INTERACTION_FIELDS,
  SORTABLE_FIELDS,
  withStamps,
  type FinderField,
  type SortField,
} from '../api/interactionFields';
import type { Interaction } from '../api/types';
import { TruncatedText } from '../components/TruncatedText';
import { browserTimeZone, formatAlongside, formatInZone, formatTimeInZone, sameDayInZone, sameWallClock } from '../lib/datetime';
import type { DisplayZone } from './displayZone';

export const isSortable = (id: string): id is SortField => (SORTABLE_FIELDS as readonly string[]).includes(id);

export interface FinderTableMeta {
  display: DisplayZone;
}
const displayOf = (table: Table<Interaction>): DisplayZone =>
  (table.options.meta as FinderTableMeta | undefined)?.display ?? { mode: 'record', zone: null };

/** An instant in the chosen display zone; the record's own wall-clock time one glance away. */
function Instant({ iso, record, display, timeOnly = false, own = true }: {
  iso: string;
  record: Interaction;
  display: DisplayZone;
  timeOnly?: boolean;
  /** Show the record's own time under it when it reads differently. */
  own?: boolean;
}) {
  const zone = display.zone ?? record.timezone;
  const shown = timeOnly ? formatTimeInZone(iso, zone) : formatInZone(iso, zone);
  const theirs = formatInZone(iso, record.timezone);
  const differs = display.zone !== null && !sameWallClock(iso, zone, record.timezone);
  // Hovering tells the other reading: the record's own time, or (when rows show their own) the viewer's.
  const viewer = browserTimeZone();
  const title = display.zone === null
    ? `${formatInZone(iso, viewer)} in your time zone (${viewer})`
    : `${theirs} (${record.timezone}), the interaction’s own time zone`;
  return (
    <span className="instant">
      <time dateTime={iso} title={title} className="nowrap">
        {shown}
      </time>
      {own && differs && (
        <span className="instant__own muted">
          {formatAlongside(iso, record.timezone, zone)} there
        </span>
      )}
    </span>
  );
}

type Cell = (context: CellContext<Interaction, unknown>) => ReactNode;

/** The cell of a field of that kind; instants (the datetimes and the stamps) in the chosen display zone, choices as pills. */
function cellByKind(id: string, kind: FieldKind): Cell {
  const value = (row: { original: Interaction }) => String((row.original as unknown as Record<string, unknown>)[id] ?? '');
  if (kind === 'longText') return ({ row }) => <TruncatedText text={value(row)} />;
  if (kind === 'choice') return ({ row }) => <span className={`pill pill--${id}-${value(row).toLowerCase()}`}>{value(row)}</span>;
  if (kind === 'datetime') {
    const own = id === 'start_datetime';
    return ({ row, table }) => <Instant iso={value(row)} record={row.original} display={displayOf(table)} own={own} />;
  }
  return ({ row }) => value(row);
}

/** The id of a row's title link: a row's checkbox is described by it. */
export const rowTitleId = (id: number) => `row-title-${id}`;

/** Fields whose cell reads differently from their kind's. */
const CELLS: Partial<Record<FinderField, Cell>> = {
  title: ({ row }) => (
    <Link to={`/interactions/${row.original.id}`} id={rowTitleId(row.original.id)} className="row-link" data-row-link>
      {row.original.title}
    </Link>
  ),
  end_datetime: ({ row, table }) => {
    const display = displayOf(table);
    const { start_datetime: start, end_datetime: end, timezone } = row.original;
    const sameDay = sameDayInZone(start, end, display.zone ?? timezone);
    return <Instant iso={end} record={row.original} display={display} timeOnly={sameDay} own={false} />;
  },
  location: ({ row }) => row.original.location || <span className="muted">—</span>,
  updated_at: ({ row, table }) => (
    <span>
      <Instant iso={row.original.updated_at} record={row.original} display={displayOf(table)} own={false} />
      {row.original.updated_by && <span className="muted"> by {row.original.updated_by.display_name}</span>}
    </span>
  ),
};

/** One column per entry of a field list (with the stamps: `withStamps`), in its order. */
export const columnsOf = (columns: ColumnList): ColumnDef<Interaction>[] =>
  Object.entries(columns).map(([id, spec]) => ({
    id,
    header: spec.label,
    // The title is the row's link: it stays.
    enableHiding: id !== 'title',
    enableSorting: spec.sort !== false,
    cell: CELLS[id as FinderField] ?? cellByKind(id, spec.kind),
  }));

export const interactionColumns: ColumnDef<Interaction>[] = columnsOf(withStamps(INTERACTION_FIELDS));

/** What the Columns menu offers: every column of the table that may be hidden, in table order. */
export const HIDEABLE_COLUMNS: readonly { id: FinderField; label: string }[] = interactionColumns
  .filter((c) => c.enableHiding !== false)
  .map((c) => ({ id: c.id as FinderField, label: String(c.header) }));
