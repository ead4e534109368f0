// Interaction endpoints: the Finder query, CSV export, and CRUD with optimistic-concurrency versions.
import { api, apiRaw, type QueryValue } from './client';
import type { HistoryEntry, Interaction, InteractionInput, InteractionPage } from './types';

export type FinderParams = Record<string, QueryValue>;

export const findInteractions = (params: FinderParams, signal?: AbortSignal) =>
  api<InteractionPage>('/api/interactions', { params, signal });

export const getInteraction = (id: number, signal?: AbortSignal) =>
  api<Interaction>(`/api/interactions/${id}`, { signal });

export const createInteraction = (input: InteractionInput) =>
  api<Interaction>('/api/interactions', { method: 'POST', body: input });

export const updateInteraction = (id: number, input: InteractionInput, version: number) =>
  api<Interaction>(`/api/interactions/${id}`, { method: 'PUT', body: { ...input, version } });

export const deleteInteraction = (id: number) => api<void>(`/api/interactions/${id}`, { method: 'DELETE' });

export const getHistory = (id: number, signal?: AbortSignal) =>
  api<{ items: HistoryEntry[] }>(`/api/interactions/${id}/history`, { signal });

/** Brings back an earlier version as a new one; `version` is the one loaded (stale → 409). */
export const restoreVersion = (id: number, restoreVersion: number, version: number) =>
  api<Interaction>(`/api/interactions/${id}/restore`, { method: 'POST', body: { restore_version: restoreVersion, version } });

function filenameFrom(disposition: string | null): string | null {
  if (!disposition) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star?.[1]) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain?.[1] ?? null;
}

/** Fetches the CSV of every match of the query (auth header needed, so no plain link). */
export async function exportInteractions(params: FinderParams): Promise<{ blob: Blob; filename: string }> {
  const response = await apiRaw('/api/interactions/export', { params });
  const blob = await response.blob();
  const filename = filenameFrom(response.headers.get('Content-Disposition')) ?? 'interactions.csv';
  return { blob, filename };
}
