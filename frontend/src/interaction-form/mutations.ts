// Writes with optimistic cache updates: the Finder shows the change at once and is rolled back if the server refuses.
import { useMutation, useQueryClient, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { DateTime } from 'luxon';
import { undeleteInteraction } from '../api/admin';
import { createInteraction, deleteInteraction, interactionKeys, updateInteraction } from '../api/interactions';
import { describeError } from '../api/client';
import type { ToastAction } from '../components/Toaster';
import type { InteractionInput } from '../api/interactionFields';
import type { Interaction, InteractionPage } from '../api/types';

type Snapshot = { detail: Interaction | undefined; lists: [QueryKey, InteractionPage | undefined][] };

const toUtc = (iso: string) => DateTime.fromISO(iso, { setZone: true }).toUTC().toISO() ?? iso;

async function snapshot(qc: QueryClient, siteId: number, id: number): Promise<Snapshot> {
  await qc.cancelQueries({ queryKey: interactionKeys.all(siteId) });
  return {
    detail: qc.getQueryData<Interaction>(interactionKeys.detail(siteId, id)),
    lists: qc.getQueriesData<InteractionPage>({ queryKey: interactionKeys.lists(siteId) }),
  };
}

function restore(qc: QueryClient, siteId: number, id: number, snap: Snapshot | undefined) {
  if (!snap) return;
  qc.setQueryData(interactionKeys.detail(siteId, id), snap.detail);
  snap.lists.forEach(([key, page]) => qc.setQueryData(key, page));
}

function patchLists(qc: QueryClient, siteId: number, fn: (page: InteractionPage) => InteractionPage) {
  qc.setQueriesData<InteractionPage>({ queryKey: interactionKeys.lists(siteId) }, (page) => (page ? fn(page) : page));
}

export function useCreateInteraction(siteId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: InteractionInput) => createInteraction(input),
    onSuccess: (item) => {
      qc.setQueryData(interactionKeys.detail(siteId, item.id), item);
      return qc.invalidateQueries({ queryKey: interactionKeys.lists(siteId) });
    },
  });
}

export interface UpdateVars {
  id: number;
  input: InteractionInput;
  version: number;
}

export function useUpdateInteraction(siteId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input, version }: UpdateVars) => updateInteraction(id, input, version),
    onMutate: async ({ id, input }) => {
      const snap = await snapshot(qc, siteId, id);
      const changes = { ...input, start_datetime: toUtc(input.start_datetime), end_datetime: toUtc(input.end_datetime) };
      qc.setQueryData<Interaction>(interactionKeys.detail(siteId, id), (old) => (old ? { ...old, ...changes } : old));
      patchLists(qc, siteId, (page) => ({ ...page, items: page.items.map((i) => (i.id === id ? { ...i, ...changes } : i)) }));
      return snap;
    },
    onError: (_error, { id }, snap) => restore(qc, siteId, id, snap),
    onSuccess: (item) => {
      qc.setQueryData(interactionKeys.detail(siteId, item.id), item);
      patchLists(qc, siteId, (page) => ({ ...page, items: page.items.map((i) => (i.id === item.id ? item : i)) }));
    },
    onSettled: () => qc.invalidateQueries({ queryKey: interactionKeys.lists(siteId) }),
  });
}

type Notify = (message: string, kind?: 'success' | 'error' | 'info', action?: ToastAction) => void;

/** Puts a just-deleted record back (same id and version) and shows it in the Finder again. */
export function useUndoDelete(siteId: number, notify: Notify) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (item: Interaction) => undeleteInteraction(item.id),
    onSuccess: (restored) => {
      qc.setQueryData(interactionKeys.detail(siteId, restored.id), restored);
      notify(`Restored “${restored.title}”`);
    },
    onError: (error, item) => notify(`“${item.title}” could not be restored: ${describeError(error)}`, 'error'),
    onSettled: () => qc.invalidateQueries({ queryKey: interactionKeys.all(siteId) }),
  });
}

/** Delete is fully optimistic: the form leaves at once, so the outcome is reported by toast from here, with Undo. */
export function useDeleteInteraction(siteId: number, notify: Notify) {
  const undo = useUndoDelete(siteId, notify);
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (item: Interaction) => deleteInteraction(item.id),
    onMutate: async (item) => {
      const snap = await snapshot(qc, siteId, item.id);
      patchLists(qc, siteId, (page) => {
        const items = page.items.filter((i) => i.id !== item.id);
        return { ...page, items, total: page.total - (page.items.length - items.length) };
      });
      return snap;
    },
    onError: (error, item, snap) => {
      restore(qc, siteId, item.id, snap);
      notify(`“${item.title}” was not deleted: ${describeError(error)}`, 'error');
    },
    onSuccess: (_data, item) => {
      qc.removeQueries({ queryKey: interactionKeys.detail(siteId, item.id) });
      notify(`Deleted “${item.title}”`, 'success', { label: 'Undo', onClick: () => undo.mutate(item) });
    },
    onSettled: () => qc.invalidateQueries({ queryKey: interactionKeys.lists(siteId) }),
  });
}
