// Whether the API is answering from its cache while the database is unreachable (X-Data-Stale).
// Kept outside React so the HTTP client can report it; components read it with useDataStale().
import { useSyncExternalStore } from 'react';

export const STALE_HEADER = 'X-Data-Stale';

let stale = false;
const listeners = new Set<() => void>();

function set(next: boolean): void {
  if (next === stale) return;
  stale = next;
  listeners.forEach((listener) => listener());
}

/** Every API answer says whether the database was reachable: follow the latest one. */
export function noteResponse(response: Response): void {
  set(response.headers.get(STALE_HEADER) !== null);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** True while the data shown may be out of date and saving is paused. */
export function useDataStale(): boolean {
  return useSyncExternalStore(subscribe, () => stale);
}
