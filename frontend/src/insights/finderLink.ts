// Every chart element opens the Finder with exactly its records: the page's criteria plus the element's own.
import { applyChange, serializeQuery, type FinderQuery } from '../finder/queryState';

export function finderLink(query: FinderQuery, narrowing: Partial<FinderQuery>): string {
  const params = serializeQuery(applyChange(query, { ...narrowing, page: 1 })).toString();
  return params ? `/interactions?${params}` : '/interactions';
}
