// The writes of one import: each answers with the import, which replaces the cached one; the preview and the list
// follow. Changes of the mapping run one after another, each built on the one before (optimistically applied).
// A discard answers with nothing: the import leaves the list.
import { useMutation, useQueryClient } from '@tanstack/react-query';
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
import { useSite } from '../session/SiteContext';

/** The import as it reads once `changes` are in, for the screen to show before the server answers. */
export function withChanges(imp: Import, changes: ImportChanges): Import {
  return {
    ...imp,
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

export function useImportActions(id: number) {
  const queryClient = useQueryClient();
  const { site } = useSite();
  const detailKey = importKeys.detail(site.id, id);
  const settle = (imp: Import) => {
    queryClient.setQueryData(detailKey, imp);
    void queryClient.invalidateQueries({ queryKey: importKeys.previews(site.id, id) });
    void queryClient.invalidateQueries({ queryKey: importKeys.list(site.id) });
  };

  const change = useMutation({
    scope: { id: `import-${site.id}-${id}` },
    mutationFn: (changes: ImportChanges) => updateImport(id, changes),
    onMutate: (changes) => {
      const current = queryClient.getQueryData<Import>(detailKey);
      if (current && !changes.sheet) queryClient.setQueryData(detailKey, withChanges(current, changes));
      return { current };
    },
    onSuccess: settle,
    // The server's import is the truth: fetch it again rather than guess what it kept.
    onError: () => void queryClient.invalidateQueries({ queryKey: detailKey }),
  });

  const run = useMutation({ mutationFn: () => runImport(id), onSuccess: settle });

  const undo = useMutation({
    mutationFn: () => undoImport(id),
    onSuccess: (imp) => {
      settle(imp);
      void queryClient.invalidateQueries({ queryKey: interactionKeys.all(site.id) });
    },
  });

  return { change, run, undo };
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
