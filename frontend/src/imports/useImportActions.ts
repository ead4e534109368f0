// The writes of one import: each answers with the import, which replaces the cached one; the preview and the list
// follow. Changes of the mapping and choices go one at a time (useLatestMutation): what the person changes while one
// is on its way is sent, folded into one, when it answers, built on the version that answer carries.
// A discard answers with nothing: the import leaves the list.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { isApiError } from '../api/client';
import {
  discardImport,
  importKeys,
  runImport,
  undoImport,
  updateImport,
  type Import,
  type ImportChanges,
} from '../api/imports';
import { interactionKeys } from '../api/interactions';
import { useLatestMutation } from '../lib/useLatestMutation';
import { useSite } from '../session/SiteContext';

/** The import as it reads once `changes` are in, for the screen to show before the server answers. */
export function withChanges(imp: Import, changes: ImportChanges | null): Import {
  if (!changes) return imp;
  return {
    ...imp,
    sheet: changes.sheet ?? imp.sheet,
    timezone: changes.timezone ?? imp.timezone,
    duplicates: changes.duplicates ?? imp.duplicates,
    columns: imp.columns.map((column) => {
      const key = String(column.index);
      return {
        ...column,
        field: changes.mapping && key in changes.mapping ? (changes.mapping[key] ?? null) : column.field,
        date_order: changes.date_orders?.[key] ?? column.date_order,
      };
    }),
  };
}

/**
 * Changes not sent yet with a newer one folded in. The screen sends the whole mapping and every chosen date order each
 * time, so the newer replaces the older; another sheet is mapped afresh, so the older sheet's mapping goes.
 */
export function foldChanges(older: ImportChanges, newer: ImportChanges): ImportChanges {
  const kept = { ...older };
  if (newer.sheet !== undefined) {
    delete kept.mapping;
    delete kept.date_orders;
  }
  return { ...kept, ...newer };
}

/** A refused change's answer holds the import as stored when another change came first. */
const storedImport = (error: unknown) =>
  isApiError(error) && error.code === 'version_conflict' ? (error.details as { current?: Import } | null)?.current : undefined;

export function useImportActions(id: number) {
  const queryClient = useQueryClient();
  const { site } = useSite();
  const detailKey = importKeys.detail(site.id, id);
  const settle = (imp: Import) => {
    queryClient.setQueryData(detailKey, imp);
    void queryClient.invalidateQueries({ queryKey: importKeys.previews(site.id, id) });
    void queryClient.invalidateQueries({ queryKey: importKeys.list(site.id) });
  };

  const changes = useLatestMutation({
    scope: { id: `import-${site.id}-${id}` },
    mutationFn: (next: ImportChanges) => updateImport(id, next, queryClient.getQueryData<Import>(detailKey)?.version),
    merge: foldChanges,
    onSuccess: settle,
    // The person's choice stays on the screen to send again, now built on what is stored.
    onError: (error) => {
      const stored = storedImport(error);
      if (stored) queryClient.setQueryData(detailKey, stored);
      else void queryClient.invalidateQueries({ queryKey: detailKey });
    },
  });

  const run = useMutation({ mutationFn: () => runImport(id), onSuccess: settle });

  const undo = useMutation({
    mutationFn: () => undoImport(id),
    onSuccess: (imp) => {
      settle(imp);
      void queryClient.invalidateQueries({ queryKey: interactionKeys.all(site.id) });
    },
  });

  return { changes, run, undo };
}

/** Discards an import not yet run; the list is read again, and the import's own entries go unless a screen shows it. */
export function useDiscardImport() {
  const queryClient = useQueryClient();
  const { site } = useSite();
  return useMutation({
    mutationFn: (imp: Import) => discardImport(imp.id),
    onSuccess: (_answer, imp) => {
      queryClient.removeQueries({ queryKey: importKeys.detail(site.id, imp.id), type: 'inactive' });
      void queryClient.invalidateQueries({ queryKey: importKeys.list(site.id) });
    },
  });
}
