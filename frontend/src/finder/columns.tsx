// The Finder's columns: labels, which are shown and sortable, and how each cell reads. The Columns menu is built from this list.
import type { ColumnDef, Table } from '@tanstack/react-table';
import { Link } from 'react-router-dom';
import { FIELD_LABELS, type Interaction } from '../api/types';
import { TruncatedText } from '../components/TruncatedText';
import { browserTimeZone, formatAlongside, formatInZone, formatTimeInZone, sameDayInZone, sameWallClock } from '../lib/datetime';
import type { DisplayZone } from './displayZone';
import { SORTABLE_FIELDS, type SortField } from './queryState';

export type ColumnId = SortField | 'description' | 'notes';
export const COLUMN_LABELS: Record<ColumnId, string> = FIELD_LABELS;
export const DEFAULT_HIDDEN: readonly ColumnId[] = ['timezone', 'description', 'notes', 'created_at', 'updated_at'];
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

export const interactionColumns: ColumnDef<Interaction>[] = [
  {
    id: 'title',
    header: COLUMN_LABELS.title,
    enableHiding: false,
    cell: ({ row }) => (
      <Link to={`/interactions/${row.original.id}`} className="row-link" data-row-link>
        {row.original.title}
      </Link>
    ),
  },
  {
    id: 'type',
    header: COLUMN_LABELS.type,
    cell: ({ row }) => <span className={`type-pill type-pill--${row.original.type.toLowerCase()}`}>{row.original.type}</span>,
  },
  { id: 'lead', header: COLUMN_LABELS.lead, cell: ({ row }) => row.original.lead },
  {
    id: 'start_datetime',
    header: COLUMN_LABELS.start_datetime,
    cell: ({ row, table }) => <Instant iso={row.original.start_datetime} record={row.original} display={displayOf(table)} />,
  },
  {
    id: 'end_datetime',
    header: COLUMN_LABELS.end_datetime,
    cell: ({ row, table }) => {
      const display = displayOf(table);
      const { start_datetime: start, end_datetime: end, timezone } = row.original;
      const sameDay = sameDayInZone(start, end, display.zone ?? timezone);
      return <Instant iso={end} record={row.original} display={display} timeOnly={sameDay} own={false} />;
    },
  },
  { id: 'timezone', header: COLUMN_LABELS.timezone, cell: ({ row }) => row.original.timezone },
  {
    id: 'location',
    header: COLUMN_LABELS.location,
    cell: ({ row }) => row.original.location || <span className="muted">—</span>,
  },
  {
    id: 'description',
    header: COLUMN_LABELS.description,
    cell: ({ row }) => <TruncatedText text={row.original.description} />,
  },
  {
    id: 'notes',
    header: COLUMN_LABELS.notes,
    cell: ({ row }) => <TruncatedText text={row.original.notes} />,
  },
  {
    id: 'created_at',
    header: COLUMN_LABELS.created_at,
    cell: ({ row, table }) => <Instant iso={row.original.created_at} record={row.original} display={displayOf(table)} own={false} />,
  },
  {
    id: 'updated_at',
    header: COLUMN_LABELS.updated_at,
    cell: ({ row, table }) => (
      <span>
        <Instant iso={row.original.updated_at} record={row.original} display={displayOf(table)} own={false} />
        {row.original.updated_by && <span className="muted"> by {row.original.updated_by.display_name}</span>}
      </span>
    ),
  },
];

/** What the Columns menu offers: every column of the table that may be hidden, in table order. */
export const HIDEABLE_COLUMNS: readonly { id: ColumnId; label: string }[] = interactionColumns
  .filter((c) => c.enableHiding !== false)
  .map((c) => ({ id: c.id as ColumnId, label: String(c.header) }));
