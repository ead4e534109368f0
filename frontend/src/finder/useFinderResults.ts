// The Finder's page of results for the current query, and the fix-up when the page asked for is past the end.
import { useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { interactionQueries } from '../api/interactions';
import { useSite } from '../session/SiteContext';
import { toApiParams } from '../criteria/queryState';
import type { FinderQueryControls } from '../criteria/useFinderQuery';

export function useFinderResults({ query, update }: FinderQueryControls) {
  const { site } = useSite();
  const result = useQuery(interactionQueries.page(site.id, toApiParams(query)));
  const data = result.data;

  // A page past the end (rows deleted, or a stale link): go to the last page that exists.
  useEffect(() => {
    if (data && data.total_exact && data.items.length === 0 && query.page > 1 && data.pages >= 1) {
      update({ page: data.pages }, { replace: true });
    }
  }, [data, query.page, update]);

  return result;
}

export type FinderResult = ReturnType<typeof useFinderResults>;
