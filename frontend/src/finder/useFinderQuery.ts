// The one owner of the Finder's query state: the URL is the source of truth; the last query is remembered per session.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useLocation, useSearchParams, type Location } from 'react-router-dom';
import { rememberFinderSearch } from '../lib/finderLink';
import { applyChange, parseQuery, serializeQuery, type FinderQuery } from './queryState';

export interface FinderQueryControls {
  query: FinderQuery;
  /** Merge a change; criteria changes reset the page. `replace` avoids a history entry per keystroke. */
  update: (change: Partial<FinderQuery>, options?: { replace?: boolean }) => void;
  reset: () => void;
}

export function useFinderQuery(): FinderQueryControls {
  const [searchParams, setSearchParams] = useSearchParams();
  const location = useLocation();
  const key = searchParams.toString();
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the string key is the identity of the params
  const fromUrl = useMemo(() => parseQuery(searchParams), [key]);
  // Router navigations commit a moment later; show the user's change at once (a ticked box stays ticked).
  // It holds only while the router is still at the location it was made at: once the URL moves (our change
  // landing, or Back/Forward), the URL is the truth again. Compared by identity, since Back can return to the
  // same URL before a render ever saw the change land; every navigation brings a new location object.
  const [pending, setPending] = useState<{ base: Location; query: FinderQuery } | null>(null);
  const query = pending?.base === location ? pending.query : fromUrl;

  useEffect(() => {
    // Remember the normalised form so a hand-edited link does not linger with junk in it.
    rememberFinderSearch(serializeQuery(query).toString());
  }, [query]);

  const update = useCallback<FinderQueryControls['update']>(
    (change, options) => {
      setPending({ base: location, query: applyChange(query, change) });
      setSearchParams((current) => serializeQuery(applyChange(parseQuery(current), change)), {
        replace: options?.replace ?? false,
      });
    },
    [setSearchParams, location, query],
  );

  const reset = useCallback(() => {
    setSearchParams((current) => {
      const q = parseQuery(current);
      return serializeQuery({ ...parseQuery(new URLSearchParams()), sort: q.sort, pageSize: q.pageSize });
    });
  }, [setSearchParams]);

  return { query, update, reset };
}
