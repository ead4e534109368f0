// Spreadsheet imports of a site: upload, column mapping, preview, a run in the background, its report and undo;
// discarding one not yet run.
// Screens read through `importQueries`; a write puts the import it answers with in the cache through `importKeys`.
import { queryOptions, replaceEqualDeep } from '@tanstack/react-query';
import { api, apiRaw } from './client';
import { filenameFrom } from './interactions';
import type { Page } from './types';

export type ImportStatus = 'mapping' | 'running' | 'done' | 'failed' | 'undone';
export type DateOrder = 'day_first' | 'month_first';
export type DuplicateChoice = 'skip' | 'import';
export type PreviewFilter = 'all' | 'invalid' | 'duplicate';

export interface ImportColumn {
  index: number;
  header: string;
  /** The column's first non-empty values. */
  samples: string[];
  /** The field it fills, null when ignored. */
  field: string | null;
  date_order: DateOrder | 'iso' | null;
  /** The dates read both ways: the person must choose before the run. */
  date_order_ambiguous: boolean;
}

export interface ImportField {
  name: string;
  label: string;
  required: boolean;
}

export interface ImportCounts {
  rows: number;
  valid: number;
  invalid: number;
  duplicate: number;
  imported: number;
  skipped: number;
  failed: number;
}

export interface Import {
  id: number;
  filename: string;
  status: ImportStatus;
  created_at: string;
  created_by: string;
  finished_at: string | null;
  /** Until when the import may be undone. */
  undo_until: string | null;
  format: 'csv' | 'xlsx';
  encoding: string | null;
  delimiter: string | null;
  sheets: string[];
  sheet: string | null;
  columns: ImportColumn[];
  fields: ImportField[];
  /** The zone of times written without one. */
  timezone: string;
  duplicates: DuplicateChoice;
  counts: ImportCounts;
  progress: { done: number; total: number };
  /** What stops the run until the mapping changes. */
  problems: string[];
  /** Not yet run, and the signed-in person uploaded it or is an admin of the site. */
  can_discard: boolean;
  /** Raised by every stored change of the mapping and choices; a change sent with an older one is refused (409). */
  version: number;
}

export interface ImportChanges {
  /** Column index → field name, null to ignore the column. */
  mapping?: Record<string, string | null>;
  timezone?: string;
  date_orders?: Record<string, DateOrder>;
  duplicates?: DuplicateChoice;
  sheet?: string;
}

export interface PreviewRow {
  /** The row's line in the file as a spreadsheet numbers it (the header is row 1). */
  row: number;
  values: Record<string, string | null>;
  errors: Record<string, string[]>;
  duplicate: boolean;
}

export interface Preview {
  items: PreviewRow[];
  total: number;
  page: number;
  page_size: number;
  counts: ImportCounts;
}

export interface PreviewParams {
  page: number;
  page_size: number;
  only: PreviewFilter;
}

/** The files the import reads, for the file picker. */
export const IMPORT_ACCEPT = '.csv,.tsv,.txt,.xlsx';
/** The largest file the API takes; a larger one is refused before it is sent. */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024; // the server's default IMPORT_MAX_BYTES, which it enforces

/** Imports are keyed by site: a site switch never shows another site's imports. */
export const importKeys = {
  all: (siteId: number) => ['imports', siteId] as const,
  list: (siteId: number) => [...importKeys.all(siteId), 'list'] as const,
  detail: (siteId: number, id: number) => [...importKeys.all(siteId), 'detail', id] as const,
  previews: (siteId: number, id: number) => [...importKeys.detail(siteId, id), 'preview'] as const,
  preview: (siteId: number, id: number, params: PreviewParams) => [...importKeys.previews(siteId, id), params] as const,
};

const listImports = (signal?: AbortSignal) => api<Page<Import>>('/api/imports', { signal });
const getImport = (id: number, signal?: AbortSignal) => api<Import>(`/api/imports/${id}`, { signal });
const getPreview = (id: number, params: PreviewParams, signal?: AbortSignal) =>
  api<Preview>(`/api/imports/${id}/preview`, { params: { ...params }, signal });

/**
 * An import never goes back to an older version in the cache: a read sent before a change was stored can answer after
 * that change did.
 */
const newestImport = (cached: unknown, answered: unknown) =>
  cached && (answered as Import).version < (cached as Import).version ? cached : replaceEqualDeep(cached, answered);

/** How often a running import is asked for its progress. */
export const PROGRESS_POLL_MS = 1000;

export const importQueries = {
  /** The site's recent imports; refreshed while one of them runs. */
  list: (siteId: number) =>
    queryOptions({
      queryKey: importKeys.list(siteId),
      queryFn: ({ signal }) => listImports(signal),
      refetchInterval: (query) => (query.state.data?.items.some((i) => i.status === 'running') ? PROGRESS_POLL_MS * 3 : false),
    }),
  /** One import; polled while it runs. 404 when it belongs to another site. */
  detail: (siteId: number, id: number) =>
    queryOptions({
      queryKey: importKeys.detail(siteId, id),
      queryFn: ({ signal }) => getImport(id, signal),
      refetchInterval: (query) => (query.state.data?.status === 'running' ? PROGRESS_POLL_MS : false),
      staleTime: 0,
      structuralSharing: newestImport,
    }),
  preview: (siteId: number, id: number, params: PreviewParams) =>
    queryOptions({
      queryKey: importKeys.preview(siteId, id, params),
      queryFn: ({ signal }) => getPreview(id, params, signal),
      staleTime: 0,
    }),
};

/** Uploads a file; the answer holds its columns and the detected mapping. */
export function uploadImport(file: File, sheet?: string): Promise<Import> {
  const form = new FormData();
  form.append('file', file);
  if (sheet) form.append('sheet', sheet);
  return api<Import>('/api/imports', { method: 'POST', body: form });
}

/** `version` is the one the changes are built on: an older one than stored is refused (409 version_conflict). */
export const updateImport = (id: number, changes: ImportChanges, version: number | undefined) =>
  api<Import>(`/api/imports/${id}`, { method: 'PATCH', body: { ...changes, version } });

export const runImport = (id: number) => api<Import>(`/api/imports/${id}/run`, { method: 'POST' });

export const undoImport = (id: number) => api<Import>(`/api/imports/${id}/undo`, { method: 'POST' });

/** Removes an import that has not run, and its file: room for other uploads (each person's imports keep a bounded
 * amount; beyond it an upload is refused with the code below). */
export const discardImport = (id: number) => api<void>(`/api/imports/${id}`, { method: 'DELETE' });

/** The error code of an upload refused because the person's imports keep as many files as they may. */
export const STORAGE_FULL = 'storage_full';

/** The rows that were not imported with their reason, as CSV (auth header needed, so no plain link). */
export async function downloadFailedRows(id: number): Promise<{ blob: Blob; filename: string }> {
  const response = await apiRaw(`/api/imports/${id}/failed.csv`);
  const blob = await response.blob();
  const filename = filenameFrom(response.headers.get('Content-Disposition')) ?? `import-${id}-failed.csv`;
  return { blob, filename };
}

