// The Finder's columns: labels, which are shown by default, and how each cell reads.
import type { ColumnDef } from '@tanstack/react-table';
import { Link } from 'react-router-dom';
import { FIELD_LABELS, type Interaction } from '../api/types';
import { formatInZone, formatLocal, formatTimeInZone, sameDayInZone } from '../lib/datetime';
import type { SortField } from './queryState';

export type ColumnId = SortField;

export const COLUMN_LABELS: Record<ColumnId, string> = FIELD_LABELS;

export const DEFAULT_HIDDEN: readonly ColumnId[] = ['timezone', 'created_at', 'updated_at'];

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
    cell: ({ row }) => (
      <time dateTime={row.original.start_datetime} title={row.original.timezone} className="nowrap">
        {formatInZone(row.original.start_datetime, row.original.timezone)}
      </time>
    ),
  },
  {
    id: 'end_datetime',
    header: COLUMN_LABELS.end_datetime,
    cell: ({ row }) => {
      const { start_datetime: start, end_datetime: end, timezone } = row.original;
      return (
        <time dateTime={end} title={timezone} className="nowrap">
          {sameDayInZone(start, end, timezone) ? formatTimeInZone(end, timezone) : formatInZone(end, timezone)}
        </time>
      );
    },
  },
  { id: 'timezone', header: COLUMN_LABELS.timezone, cell: ({ row }) => row.original.timezone },
  {
    id: 'location',
    header: COLUMN_LABELS.location,
    cell: ({ row }) => row.original.location || <span className="muted">—</span>,
  },
  {
    id: 'created_at',
    header: COLUMN_LABELS.created_at,
    cell: ({ row }) => <time dateTime={row.original.created_at}>{formatLocal(row.original.created_at)}</time>,
  },
  {
    id: 'updated_at',
    header: COLUMN_LABELS.updated_at,
    cell: ({ row }) => (
      <span>
        <time dateTime={row.original.updated_at}>{formatLocal(row.original.updated_at)}</time>
        {row.original.updated_by && <span className="muted"> by {row.original.updated_by.display_name}</span>}
      </span>
    ),
  },
];
