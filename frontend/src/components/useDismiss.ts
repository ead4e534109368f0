// A menu panel closes on Escape (focus back on its button) and on a click outside it; not while a dialog it opened is up.
import { useEffect, useRef } from 'react';

export function useDismiss<T extends HTMLElement = HTMLDivElement>(open: boolean, close: () => void) {
  const rootRef = useRef<T>(null);
  useEffect(() => {
    if (!open) return;
    const onEvent = (event: Event) => {
      if (event instanceof KeyboardEvent && event.key !== 'Escape') return;
      if (event instanceof MouseEvent && rootRef.current?.contains(event.target as Node)) return;
      if (document.querySelector('dialog[open]')) return;
      close();
      if (event instanceof KeyboardEvent) rootRef.current?.querySelector('button')?.focus();
    };
    document.addEventListener('mousedown', onEvent);
    document.addEventListener('keydown', onEvent);
    return () => {
      document.removeEventListener('mousedown', onEvent);
      document.removeEventListener('keydown', onEvent);
    };
  }, [open, close]);
  return rootRef;
}
