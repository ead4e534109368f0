// Drafts of the form, saved in this browser as the user types (per user, site and record), so a reload or a
// crash loses nothing; offered back when the form opens again, removed once saved or discarded.
import { useCallback, useEffect, useRef, useState } from 'react';
import { FIELD_NAMES } from '../api/interactionFields';
import type { InteractionFormValues } from './schema';

const SAVE_AFTER_MS = 400;

export interface Draft {
  values: InteractionFormValues;
  /** The version the edits started from (null for a new record), so restoring cannot hide a newer save. */
  version: number | null;
  savedAt: string;
}

export const draftKey = (userId: number, siteId: number, recordId: number | null) =>
  `ims.draft.${userId}.${siteId}.${recordId ?? 'new'}`;

function readDraft(key: string): Draft | null {
  try {
    const raw = localStorage.getItem(key);
    const draft = raw ? (JSON.parse(raw) as Draft) : null;
    return draft && typeof draft.values === 'object' && typeof draft.savedAt === 'string' ? draft : null;
  } catch {
    return null;
  }
}

const sameValues = (a: InteractionFormValues, b: InteractionFormValues) =>
  FIELD_NAMES.every((f) => String(a[f] ?? '') === String(b[f] ?? ''));

interface Options {
  key: string;
  /** What the form opened with; a draft equal to it is not worth offering. */
  initial: InteractionFormValues;
  values: InteractionFormValues;
  dirty: boolean;
  version: number | null;
  enabled: boolean;
}

export function useDraft({ key, initial, values, dirty, version, enabled }: Options) {
  const [offered, setOffered] = useState<Draft | null>(() => {
    const draft = enabled ? readDraft(key) : null;
    return draft && !sameValues(draft.values, initial) ? draft : null;
  });
  const latest = useRef<Draft | null>(null);
  // Set once the edits are saved or thrown away: nothing more is written for this visit of the form.
  const finished = useRef(false);

  const write = useCallback(() => {
    if (latest.current) localStorage.setItem(key, JSON.stringify(latest.current));
  }, [key]);

  // While a draft is on offer it is left alone: typing must not overwrite what the user may still restore.
  useEffect(() => {
    if (!enabled || offered || finished.current) return;
    if (!dirty) {
      latest.current = null;
      localStorage.removeItem(key);
      return;
    }
    latest.current = { values, version, savedAt: new Date().toISOString() };
    const timer = window.setTimeout(write, SAVE_AFTER_MS);
    return () => window.clearTimeout(timer);
  }, [enabled, offered, dirty, values, version, key, write]);

  // Leaving the page (reload, tab closed) must not lose the last keystrokes to the pause above.
  useEffect(() => {
    window.addEventListener('pagehide', write);
    return () => window.removeEventListener('pagehide', write);
  }, [write]);

  const clear = useCallback(() => {
    finished.current = true;
    latest.current = null;
    localStorage.removeItem(key);
  }, [key]);

  return {
    offered,
    /** Hands the offered draft over (the caller puts it into the form) and resumes saving. */
    take: () => {
      const draft = offered;
      setOffered(null);
      return draft;
    },
    discard: () => {
      localStorage.removeItem(key);
      setOffered(null);
    },
    /** The edits were saved or deliberately dropped: remove the draft and stop saving. */
    clear,
  };
}
