// A text field that commits after a pause in typing, and follows outside changes (Back button, "Clear all").
import { useEffect, useRef, useState } from 'react';

export function useDebouncedField(value: string, commit: (next: string) => void, delay = 300) {
  const [local, setLocal] = useState(value);
  const [seen, setSeen] = useState(value);
  const [committed, setCommitted] = useState(value);
  const commitRef = useRef(commit);
  useEffect(() => {
    commitRef.current = commit;
  });

  // An outside change (not the echo of our own commit) replaces what is in the box.
  if (value !== seen) {
    setSeen(value);
    if (value !== committed) {
      setCommitted(value);
      setLocal(value);
    }
  }

  useEffect(() => {
    if (local === committed) return;
    const timer = window.setTimeout(() => {
      setCommitted(local);
      commitRef.current(local);
    }, delay);
    return () => window.clearTimeout(timer);
  }, [local, committed, delay]);

  /** Commit now (Enter key) instead of waiting for the pause. */
  const flush = () => {
    if (local === committed) return;
    setCommitted(local);
    commitRef.current(local);
  };

  return { value: local, setValue: setLocal, flush };
}
