// Saving the form: create or update (with the version it was loaded at), version conflicts, and the server's
// field errors put back on the fields they are about.
import { useState } from 'react';
import type { UseFormReturn } from 'react-hook-form';
import { describeError, isApiError, type ApiError } from '../api/client';
import { isFieldName } from '../api/interactionFields';
import type { Interaction } from '../api/types';
import { useToast } from '../components/Toaster';
import { useSite } from '../session/SiteContext';
import { useCreateInteraction, useUpdateInteraction } from './mutations';
import { interactionSchema, toInput, valuesFromInteraction, type InteractionFormOutput, type InteractionFormValues } from './schema';

export type InteractionFormApi = UseFormReturn<InteractionFormValues, unknown, InteractionFormOutput>;

/** A save that went through: the record as stored, and whether it was created. */
export interface Saved {
  saved: Interaction;
  created: boolean;
}

export function useSaveInteraction(item: Interaction | null, form: InteractionFormApi) {
  const { site } = useSite();
  const toast = useToast();
  const [version, setVersion] = useState(item?.version ?? 0);
  const [conflict, setConflict] = useState<Interaction | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const create = useCreateInteraction(site.id);
  const update = useUpdateInteraction(site.id);

  const applyServerErrors = (error: ApiError) => {
    const unplaced: string[] = [];
    let focused = false;
    for (const [field, messages] of Object.entries(error.fieldErrors)) {
      if (isFieldName(field)) {
        form.setError(field, { type: 'server', message: messages.join(' ') }, { shouldFocus: !focused });
        focused = true;
      } else unplaced.push(...messages);
    }
    setFormError(unplaced.length || !focused ? `${error.message} ${unplaced.join(' ')}`.trim() : null);
  };

  const explain = (error: ApiError) => {
    if (error.code === 'version_conflict') {
      const current = (error.details as { current?: Interaction } | null)?.current;
      if (current) setConflict(current);
      else setFormError('Someone else changed this interaction. Reload the page to see their version.');
    } else if (error.code === 'validation_error') applyServerErrors(error);
    else if (error.status === 404) setFormError('This interaction no longer exists: someone deleted it. Your changes cannot be saved.');
    else if (error.status === 403) setFormError('You do not have permission to change interactions at this site.');
    else setFormError(describeError(error));
  };

  /** The outcome of a save, or null when it failed and the form now says why. */
  const save = async (values: InteractionFormOutput, overwriteVersion?: number): Promise<Saved | null> => {
    setFormError(null);
    const input = toInput(values);
    try {
      if (!item) return { saved: await create.mutateAsync(input), created: true };
      const saved = await update.mutateAsync({ id: item.id, input, version: overwriteVersion ?? version });
      setVersion(saved.version);
      setConflict(null);
      return { saved, created: false };
    } catch (error) {
      if (!isApiError(error)) throw error;
      explain(error);
      return null;
    }
  };

  return {
    save,
    formError,
    /** The version edits are based on; a restored draft brings its own. */
    setVersion,
    version,
    conflict,
    busy: create.isPending || update.isPending,
    overwriting: update.isPending,
    keepEditing: () => setConflict(null),
    reloadTheirs: () => {
      if (!conflict) return;
      form.reset(valuesFromInteraction(conflict));
      setVersion(conflict.version);
      setConflict(null);
      toast('Loaded the latest saved version', 'info');
    },
    /** Saves this page's values over the newer version the conflict showed. */
    overwrite: async (): Promise<Saved | null> => {
      if (!conflict) return null;
      const parsed = interactionSchema.safeParse(form.getValues());
      return parsed.success ? save(parsed.data, conflict.version) : null;
    },
  };
}
