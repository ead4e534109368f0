// Value lists for the form: the time zones the API accepts.
import { queryOptions } from '@tanstack/react-query';
import { api } from './client';

export const metaKeys = {
  timezones: ['meta', 'timezones'] as const,
};

async function fetchTimezones(): Promise<string[]> {
  const { items } = await api<{ items: string[] }>('/api/meta/timezones');
  return items;
}

/** The list changes only with a server upgrade: fetched once per session. */
export const metaQueries = {
  timezones: () => queryOptions({ queryKey: metaKeys.timezones, queryFn: fetchTimezones, staleTime: Infinity }),
};
