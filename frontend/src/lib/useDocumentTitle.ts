// Page titles, so tabs, history and screen readers name each screen.
import { useEffect } from 'react';

export function useDocumentTitle(title: string) {
  useEffect(() => {
    document.title = `${title} · Interactions`;
  }, [title]);
}
