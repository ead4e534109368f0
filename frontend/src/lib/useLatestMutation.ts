// Saves a value the person keeps changing (a form saved as they go) one request at a time: what they change while a
// request is on its way waits, folded into one value, and goes when that request answers. The server so stores the
// changes in the order they were made, and the states in between are never sent. What is not stored yet stays in
// `unsaved`, for the screen to show over the server's last answer and to send again after an error.
import { useMutation, type MutationScope } from '@tanstack/react-query';
import { useRef, useState } from 'react';

export type SaveState = 'idle' | 'saving' | 'saved' | 'failed';

interface Options<T, R> {
  mutationFn: (value: T) => Promise<R>;
  /** A newer value folded into an older one that is not stored yet. */
  merge: (older: T, newer: T) => T;
  /** Each answer, before the value it stored leaves `unsaved`. */
  onSuccess: (result: R) => void;
  onError?: (error: unknown) => void;
  scope?: MutationScope;
}

interface Queue<T> {
  /** Changed, not sent yet. */
  waiting: T | null;
  /** Not stored yet: the value on its way (or refused) with what waits folded in. */
  unsaved: T | null;
  sending: boolean;
}

export function useLatestMutation<T, R>({ mutationFn, merge, onSuccess, onError, scope }: Options<T, R>) {
  const { mutateAsync } = useMutation({ mutationFn, scope });
  const queue = useRef<Queue<T>>({ waiting: null, unsaved: null, sending: false });
  const [unsaved, setUnsaved] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [stored, setStored] = useState(false);
  const fold = (older: T | null, newer: T) => (older === null ? newer : merge(older, newer));

  const send = async () => {
    const q = queue.current;
    if (q.sending) return;
    q.sending = true;
    try {
      while (q.waiting !== null) {
        const value = q.waiting;
        q.waiting = null;
        let result: R;
        try {
          result = await mutateAsync(value);
        } catch (e) {
          q.waiting = q.waiting === null ? value : merge(value, q.waiting);
          setError(e);
          onError?.(e);
          return;
        }
        // The answer first: a render in between would otherwise show the state before `value`.
        onSuccess(result);
        q.unsaved = q.waiting;
        setUnsaved(q.unsaved);
        setStored(true);
      }
    } finally {
      q.sending = false;
    }
  };

  /** Shows `value` at once and stores it after what is on its way. */
  const submit = (value: T) => {
    const q = queue.current;
    q.waiting = fold(q.waiting, value);
    q.unsaved = fold(q.unsaved, value);
    setUnsaved(q.unsaved);
    setError(null);
    void send();
  };

  /** Sends again what a refused request left unsaved. */
  const retry = () => {
    setError(null);
    void send();
  };

  const state: SaveState = error != null ? 'failed' : unsaved !== null ? 'saving' : stored ? 'saved' : 'idle';
  return { submit, retry, unsaved, error, state };
}
