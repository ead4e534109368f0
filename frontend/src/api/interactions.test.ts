import { QueryClient, type Query } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { interactionKeys, interactionQueries, type FinderParams } from './interactions';
import type { InteractionPage } from './types';

const params: FinderParams = { sort: '-start_datetime', page: 1, page_size: 25 };
const previous: InteractionPage = { items: [], page: 1, page_size: 25, total: 0, pages: 0, total_exact: true };

describe('the Finder page query', () => {
  it('is filed under its site’s lists, where the mutations look for it', () => {
    expect(interactionQueries.page(1, params).queryKey.slice(0, 3)).toEqual(interactionKeys.lists(1));
  });

  it('keeps the previous page on screen while the next loads, but never another site’s rows', () => {
    const qc = new QueryClient();
    const build = (siteId: number, p: FinderParams) =>
      qc.getQueryCache().build(qc, { queryKey: interactionKeys.page(siteId, p) }) as unknown as Query<InteractionPage>;
    const placeholder = interactionQueries.page(1, params).placeholderData as (
      data: InteractionPage | undefined,
      query: Query<InteractionPage> | undefined,
    ) => InteractionPage | undefined;
    expect(placeholder(previous, build(1, { ...params, page: 2 }))).toBe(previous);
    expect(placeholder(previous, build(2, params))).toBeUndefined();
    expect(placeholder(undefined, undefined)).toBeUndefined();
  });
});
