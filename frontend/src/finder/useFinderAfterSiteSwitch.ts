// What a site switch does to the Finder and the insights page. Apart from the Finder's query code, so the signed-in frame that calls it
// does not bring the field definitions (and their validation library) to every first screen.
import { useCallback } from 'react';
import { useNavigate } from 'react-router-dom';
import { FINDER_PATH, INSIGHTS_PATH, finderPath, firstPageOf, rememberFinderSearch, rememberedFinderSearch } from '../lib/finderLink';

function forgetFinderPage(): void {
  const saved = rememberedFinderSearch();
  if (saved) rememberFinderSearch(firstPageOf(saved));
}

/**
 * After a site switch: the same criteria in the new site, from its first page (the Finder and the insights page
 * stay where they are); a record of the old site is not shown in the new one, so other pages go to the Finder.
 */
export function useFinderAfterSiteSwitch(): () => void {
  const navigate = useNavigate();
  return useCallback(() => {
    forgetFinderPage();
    // window.location, not the router's location: a navigation may have landed in the address bar already.
    const { pathname, search } = window.location;
    if (pathname === FINDER_PATH || pathname === INSIGHTS_PATH) {
      const criteria = firstPageOf(search);
      navigate(criteria ? `${pathname}?${criteria}` : pathname, { replace: true });
    } else navigate(finderPath());
  }, [navigate]);
}
