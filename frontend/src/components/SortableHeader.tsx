// The header of a column the server sorts by: a button, the direction for assistive technology (aria-sort) and
// for the eye, and the key's rank when a list sorts by several columns.
import type { MouseEvent } from 'react';

/** TanStack Table's reading of a column's sort: `false` when it is not sorted by. */
export type SortDirection = 'asc' | 'desc' | false;

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;
const ICON = { asc: '▲', desc: '▼' } as const;

interface Props {
  label: string;
  direction: SortDirection;
  /** `multi`: the click asked to add this column as a further key (Shift held). */
  onSort: (multi: boolean) => void;
  /** The column's place among several sort keys, shown as a number. */
  rank?: number;
  title?: string;
  className?: string;
}

export function SortableHeader({ label, direction, onSort, rank, title, className }: Props) {
  return (
    <th scope="col" aria-sort={direction ? ARIA_SORT[direction] : undefined} className={className}>
      <button type="button" className="sort-button" onClick={(e: MouseEvent) => onSort(e.shiftKey)} title={title}>
        {label}
        <span className={`sort-icon sort-icon--${direction || 'none'}`} aria-hidden="true">
          {direction ? ICON[direction] : '↕'}
        </span>
        {rank !== undefined && (
          <span className="sort-rank" aria-label={`sort priority ${rank}`}>
            {rank}
          </span>
        )}
      </button>
    </th>
  );
}
