// The one owner of the Finder's query state: the URL is the source of truth; the last query is remembered per session.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useLocation, useSearchParams, type Location } from 'react-router-dom';
import { rememberFinderSearch } from '../lib/finderLink';
import { applyChange, defaultQuery, parseQuery, serializeQuery, type FinderChange, type FinderQuery } from './queryState';

export interface FinderQueryControls {
  query: FinderQuery;
  /** Merge a change; criteria changes reset the page. `replace` avoids a history entry per keystroke. */
  update: (change: FinderChange, options?: { replace?: boolean }) => void;
  reset: () => void;
}

interface Asked {
  /** The router's location when the query was asked for. */
  base: Location;
  query: FinderQuery;
}

export function useFinderQuery(): FinderQueryControls {
  const [searchParams, setSearchParams] = useSearchParams();
  const location = useLocation();
  const key = searchParams.toString();
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the string key is the identity of the params
  const fromUrl = useMemo(() => parseQuery(searchParams), [key]);
  // Router navigations commit a moment later. Until then the query last asked for is the truth: the screen shows it
  // at once (a ticked box stays ticked), and a second change builds on it rather than on the URL as last rendered
  // (two date bounds set one right after the other both stay). It holds only while the router is still at the
  // location it was asked at: once the URL moves (our change landing, or Back/Forward), the URL is the truth again.
  // Compared by identity, since Back can return to the same URL before a render ever saw the change land; every
  // navigation brings a new location object. The ref is what changes read; the state is what renders.
  const latest = useRef<Asked | null>(null);
  const [pending, setPending] = useState<Asked | null>(null);
  const query = pending?.base === location ? pending.query : fromUrl;

  useEffect(() => {
    // Remember the normalised form so a hand-edited link does not linger with junk in it.
    rememberFinderSearch(serializeQuery(query).toString());
  }, [query]);

  const ask = useCallback(
    (next: (current: FinderQuery) => FinderQuery, replace: boolean) => {
      const current = latest.current?.base === location ? latest.current.query : fromUrl;
      const asked = { base: location, query: next(current) };
      latest.current = asked;
      setPending(asked);
      setSearchParams(serializeQuery(asked.query), { replace });
    },
    [setSearchParams, location, fromUrl],
  );

  const update = useCallback<FinderQueryControls['update']>(
    (change, options) => ask((current) => applyChange(current, change), options?.replace ?? false),
    [ask],
  );

  const reset = useCallback(
    () => ask((current) => ({ ...defaultQuery(), sort: current.sort, pageSize: current.pageSize }), false),
    [ask],
  );

  return { query, update, reset };
}
