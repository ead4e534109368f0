// Saved views of the Finder: a name and the Finder's URL parameters, personal or shared with the site, one default per
// person per site. Screens read through `viewQueries`; writes refresh the site's list through `viewKeys`.
import { queryOptions } from '@tanstack/react-query';
import { api } from './client';

/** The Finder's URL parameters, each with its values (`{ type: ['Call', 'Visit'], sort: ['-title'] }`). */
export type ViewParams = Record<string, string[]>;

export interface SavedView {
  id: number;
  name: string;
  shared: boolean;
  params: ViewParams;
  owner: { id: number; display_name: string };
  /** The view this person's Finder opens with in this site. */
  is_default: boolean;
  /** The owner, or an admin of the site for a shared view, may rename, change and delete it. */
  can_change: boolean;
  created_at: string;
  updated_at: string;
}

export interface NewView {
  name: string;
  shared: boolean;
  params: ViewParams;
  default?: boolean;
}

export type ViewChanges = Partial<Pick<SavedView, 'name' | 'shared' | 'params'>>;

/** Views are keyed by site, like interactions: a site switch never lists another site's views. */
export const viewKeys = {
  all: (siteId: number) => ['views', siteId] as const,
  list: (siteId: number) => [...viewKeys.all(siteId), 'list'] as const,
  detail: (siteId: number, id: number) => [...viewKeys.all(siteId), 'detail', id] as const,
};

const listViews = (signal?: AbortSignal) => api<{ items: SavedView[] }>('/api/views', { signal }).then((r) => r.items);
const getView = (id: number, signal?: AbortSignal) => api<SavedView>(`/api/views/${id}`, { signal });

export const viewQueries = {
  list: (siteId: number) => queryOptions({ queryKey: viewKeys.list(siteId), queryFn: ({ signal }) => listViews(signal) }),
  /** One view by id, as a shared link names it; 404 when it is not in this site or not shared with this person. */
  detail: (siteId: number, id: number) =>
    queryOptions({ queryKey: viewKeys.detail(siteId, id), queryFn: ({ signal }) => getView(id, signal), retry: false }),
};

export const createView = (view: NewView) => api<SavedView>('/api/views', { method: 'POST', body: view });

export const updateView = (id: number, changes: ViewChanges) =>
  api<SavedView>(`/api/views/${id}`, { method: 'PATCH', body: changes });

export const deleteView = (id: number) => api<void>(`/api/views/${id}`, { method: 'DELETE' });

export const makeDefaultView = (id: number) => api<SavedView>(`/api/views/${id}/default`, { method: 'PUT' });

export const clearDefaultView = () => api<void>('/api/views/default', { method: 'DELETE' });
