// What a site switch does to the Finder. Apart from the Finder's query code, so the signed-in frame that calls it
// does not bring the field definitions (and their validation library) to every first screen.
import { useCallback } from 'react';
import { useNavigate } from 'react-router-dom';
import { FINDER_PATH, finderPath, finderUrl, firstPageOf, rememberFinderSearch, rememberedFinderSearch } from '../lib/finderLink';

function forgetFinderPage(): void {
  const saved = rememberedFinderSearch();
  if (saved) rememberFinderSearch(firstPageOf(saved));
}

/**
 * After a site switch: the same criteria in the new site, from its first page; a record of the old site is
 * not shown in the new one, so other pages go to the Finder.
 */
export function useFinderAfterSiteSwitch(): () => void {
  const navigate = useNavigate();
  return useCallback(() => {
    forgetFinderPage();
    // window.location, not the router's location: a navigation may have landed in the address bar already.
    if (window.location.pathname === FINDER_PATH) navigate(finderUrl(firstPageOf(window.location.search)), { replace: true });
    else navigate(finderPath());
  }, [navigate]);
}
