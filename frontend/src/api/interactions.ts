// Interaction endpoints and their cache entries: the Finder query, CSV export, and CRUD with optimistic-concurrency
// versions. Screens read through `interactionQueries`, writes keep the cache right through `interactionKeys`.
import { infiniteQueryOptions, keepPreviousData, matchQuery, queryOptions } from '@tanstack/react-query';
import { api, apiRaw } from './client';
import type { InteractionInput } from './interactionFields';
import type { HistoryEntry, Interaction, InteractionPage, Page } from './types';

/**
 * The Finder's criteria as the API (and the Finder's URL) name them: the search, the sort and one or two parameters
 * per filter of the field list (`type` repeated, `lead`, `start_from` and `start_to` as YYYY-MM-DD, inclusive…).
 */
export type FinderFilters = {
  search?: string;
  /** Comma-separated fields, `-` for descending: `-start_datetime,title`. */
  sort?: string;
  readonly [filter: string]: string | readonly string[] | number | undefined;
};

export type FinderParams = FinderFilters & { page: number; page_size: number };

/** Everything about interactions is keyed by site, so a site switch never shows another site's data. */
export const interactionKeys = {
  all: (siteId: number) => ['interactions', siteId] as const,
  lists: (siteId: number) => [...interactionKeys.all(siteId), 'list'] as const,
  page: (siteId: number, params: FinderParams) => [...interactionKeys.lists(siteId), params] as const,
  detail: (siteId: number, id: number) => [...interactionKeys.all(siteId), 'detail', id] as const,
  history: (siteId: number, id: number) => [...interactionKeys.all(siteId), 'history', id] as const,
  historyEntry: (siteId: number, id: number, entryId: number) => [...interactionKeys.history(siteId, id), entryId] as const,
  deleted: (siteId: number, params: object) => [...interactionKeys.all(siteId), 'deleted', params] as const,
};

const findInteractions = (params: FinderParams, signal?: AbortSignal) =>
  api<InteractionPage>('/api/interactions', { params, signal });

const getInteraction = (id: number, signal?: AbortSignal) => api<Interaction>(`/api/interactions/${id}`, { signal });

/** Versions per page of the history (the server allows up to 20). */
export const HISTORY_PAGE_SIZE = 10;

const getHistoryPage = (id: number, page: number, signal?: AbortSignal) =>
  api<Page<HistoryEntry>>(`/api/interactions/${id}/history`, { params: { page, page_size: HISTORY_PAGE_SIZE }, signal });

const getHistoryEntry = (id: number, entryId: number, signal?: AbortSignal) =>
  api<HistoryEntry>(`/api/interactions/${id}/history/${entryId}`, { signal });

export const interactionQueries = {
  page: (siteId: number, params: FinderParams) =>
    queryOptions({
      queryKey: interactionKeys.page(siteId, params),
      queryFn: ({ signal }) => findInteractions(params, signal),
      // Keep the previous page on screen while the next loads, but never another site's rows.
      placeholderData: (previous, previousQuery) =>
        previousQuery && matchQuery({ queryKey: interactionKeys.lists(siteId) }, previousQuery)
          ? keepPreviousData(previous)
          : undefined,
    }),
  detail: (siteId: number, id: number) =>
    queryOptions({ queryKey: interactionKeys.detail(siteId, id), queryFn: ({ signal }) => getInteraction(id, signal) }),
  /** Newest versions first, a page at a time ("Load older"); long texts come as excerpts. */
  history: (siteId: number, id: number) =>
    infiniteQueryOptions({
      queryKey: interactionKeys.history(siteId, id),
      queryFn: ({ pageParam, signal }) => getHistoryPage(id, pageParam, signal),
      initialPageParam: 1,
      getNextPageParam: (last: Page<HistoryEntry>) => (last.page < last.pages ? last.page + 1 : undefined),
    }),
  /** One history entry with its texts whole. */
  historyEntry: (siteId: number, id: number, entryId: number) =>
    queryOptions({
      queryKey: interactionKeys.historyEntry(siteId, id, entryId),
      queryFn: ({ signal }) => getHistoryEntry(id, entryId, signal),
      staleTime: Infinity, // an entry of the past never changes
    }),
};

export const createInteraction = (input: InteractionInput) =>
  api<Interaction>('/api/interactions', { method: 'POST', body: input });

export const updateInteraction = (id: number, input: InteractionInput, version: number) =>
  api<Interaction>(`/api/interactions/${id}`, { method: 'PUT', body: { ...input, version } });

export const deleteInteraction = (id: number) => api<void>(`/api/interactions/${id}`, { method: 'DELETE' });

/** Brings back an earlier version as a new one; `version` is the one loaded (stale → 409). */
export const restoreVersion = (id: number, restoreVersion: number, version: number) =>
  api<Interaction>(`/api/interactions/${id}/restore`, { method: 'POST', body: { restore_version: restoreVersion, version } });

/** The file name a Content-Disposition header gives, if any. */
export function filenameFrom(disposition: string | null): string | null {
  if (!disposition) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star?.[1]) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain?.[1] ?? null;
}

/** Fetches the CSV of every match of the criteria (auth header needed, so no plain link). */
export async function exportInteractions(params: FinderFilters): Promise<{ blob: Blob; filename: string }> {
  const response = await apiRaw('/api/interactions/export', { params });
  const blob = await response.blob();
  const filename = filenameFrom(response.headers.get('Content-Disposition')) ?? 'interactions.csv';
  return { blob, filename };
}
