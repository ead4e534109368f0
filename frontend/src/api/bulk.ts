// Bulk actions from the Finder: change the type, lead or location of many records, or delete them, and undo a bulk
// delete. A small action answers its report at once; a large one runs on the server, and `bulkQueries.job` polls it
// until it is done; one whose server process ended half-way is reported `stalled`, and a resume runs the rest.
// Screens read through `bulkQueries`; nothing here is cached across sites (`bulkKeys` by site).
import { queryOptions } from '@tanstack/react-query';
import { api } from './client';
import type { FinderFilters } from './interactions';

/** What a change may set (the record form's own rules apply on the server). */
export type BulkChanges = Partial<Record<'type' | 'lead' | 'location', string>>;

export type BulkTarget =
  /** Selected rows, each at the version it was selected at: a row changed since is left alone. */
  | { ids: { id: number; version: number }[] }
  /** Every record the Finder's criteria match, as of the moment the server gave when they were selected. */
  | { query: FinderFilters; as_of: string };

export type BulkRequest = BulkTarget & ({ action: 'change'; changes: BulkChanges } | { action: 'delete' });

export interface BulkJob {
  id: number;
  action: 'change' | 'delete' | 'undo';
  status: 'running' | 'done' | 'failed';
  changes: BulkChanges;
  total: number;
  processed: number;
  changed: number;
  unchanged: number;
  /** Records someone else changed since the selection: reported and left as they are. */
  conflicts: number;
  failed: number;
  /** The first conflicts; a title of null: the record is no longer in the Finder. */
  left_alone: { id: number; title: string | null }[];
  can_undo: boolean;
  /** Still `running`, but no progress for 5 minutes: the server process running it ended. */
  stalled: boolean;
  /** Stalled or failed: `resumeBulk` runs the records it has not reached yet. */
  can_resume: boolean;
  undo_of: number | null;
  undone_by: number | null;
  created_at: string;
  finished_at: string | null;
}

export interface MatchingSelection {
  total: number;
  over_limit: boolean;
  limit: number;
  as_of: string;
}

/** How often a running job is asked for its progress; a stalled one, only in case someone else resumes it. */
export const BULK_POLL_MS = 1000;
export const BULK_STALLED_POLL_MS = 10_000;

export const bulkKeys = {
  all: (siteId: number) => ['bulk', siteId] as const,
  job: (siteId: number, id: number) => [...bulkKeys.all(siteId), 'job', id] as const,
};

const getJob = (id: number, signal?: AbortSignal) => api<BulkJob>(`/api/bulk/${id}`, { signal });

export const bulkQueries = {
  /** A job's progress and report, asked again every second while it runs. */
  job: (siteId: number, id: number) =>
    queryOptions({
      queryKey: bulkKeys.job(siteId, id),
      queryFn: ({ signal }) => getJob(id, signal),
      refetchInterval: ({ state: { data } }) =>
        data?.status !== 'running' ? false : data.stalled ? BULK_STALLED_POLL_MS : BULK_POLL_MS,
    }),
};

/** The criteria as the action's JSON takes them: only those in use (an empty date is no date). */
export function criteriaOf(filters: FinderFilters): FinderFilters {
  const out: Record<string, string | readonly string[] | number> = {};
  for (const [name, value] of Object.entries(filters)) {
    if (name === 'sort' || value === undefined) continue;
    if (Array.isArray(value) ? value.length === 0 : String(value).trim() === '') continue;
    out[name] = value;
  }
  return out;
}

/** "All matching": how many records the criteria match now, and the moment to send back with the action. */
export const selectAllMatching = (filters: FinderFilters) =>
  api<MatchingSelection>('/api/bulk/selection', { method: 'POST', body: { query: criteriaOf(filters) } });

export const startBulk = (request: BulkRequest) => api<BulkJob>('/api/bulk', { method: 'POST', body: request });

export const undoBulk = (id: number) => api<BulkJob>(`/api/bulk/${id}/undo`, { method: 'POST' });

/** Run the records a stalled or failed job has not reached (each once); the job is then followed again. */
export const resumeBulk = (id: number) => api<BulkJob>(`/api/bulk/${id}/resume`, { method: 'POST' });
