// Every chart element opens the Finder with exactly its records: the page's criteria plus the element's own filters.
import { applyChange, serializeQuery, type FilterValues, type FinderQuery } from '../criteria/queryState';
import { finderUrl } from '../lib/finderLink';

export const finderLink = (query: FinderQuery, filters: FilterValues): string =>
  finderUrl(serializeQuery(applyChange(query, { filters, page: 1 })).toString());
