// Where the Finder is and the query it was last left with in this tab: every page links back to it as the
// user left it. The Finder writes the query (criteria/useFinderQuery.ts); other pages only read it.
const REMEMBER_KEY = 'ims.finder.lastQuery';
export const FINDER_PATH = '/interactions';
/** The insights page reads the same criteria from its URL. */
export const INSIGHTS_PATH = '/insights';

export const finderUrl = (search: string) => (search ? `${FINDER_PATH}?${search}` : FINDER_PATH);

export const rememberedFinderSearch = (): string => sessionStorage.getItem(REMEMBER_KEY) ?? '';

export const rememberFinderSearch = (search: string): void => sessionStorage.setItem(REMEMBER_KEY, search);

/** The Finder's URL with the query last used in this tab, for links back from the form and the header. */
export const finderPath = (): string => finderUrl(rememberedFinderSearch());

/** The same criteria from the first page (the Finder's `page` parameter dropped). */
export function firstPageOf(search: string): string {
  const params = new URLSearchParams(search);
  params.delete('page');
  return params.toString();
}

/** The insights page for the query last used in this tab. */
export const insightsPath = (): string => {
  const search = rememberedFinderSearch();
  return search ? `${INSIGHTS_PATH}?${search}` : INSIGHTS_PATH;
};
