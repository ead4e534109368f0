// The insights of a site for the Finder's criteria: per-period counts by type, the busiest leads and locations,
// a weekday × hour map in the viewer's zone and the coming week. Keyed under the site's interactions, so every
// write that refreshes the Finder refreshes the charts too.
import { keepPreviousData, matchQuery, queryOptions } from '@tanstack/react-query';
import { api } from './client';
import type { InteractionType } from './interactionFields';
import { interactionKeys, type FinderFilters } from './interactions';

export type InsightsInterval = 'week' | 'month';

export type InsightsParams = FinderFilters & { tz: string; interval: InsightsInterval };

/** The Finder's start_from/start_to (inclusive) that show exactly an element's records. */
export interface FinderWindow {
  start_from: string | null;
  start_to: string | null;
}

export interface InsightsPeriod extends FinderWindow {
  /** First day of the week or month in the viewer's zone, YYYY-MM-DD. */
  start: string;
  counts: Partial<Record<InteractionType, number>>;
  total: number;
}

export interface NamedCount {
  name: string;
  count: number;
}

export interface HourCount {
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  hour: number;
  count: number;
}

export interface UpcomingItem {
  id: number;
  title: string;
  type: InteractionType;
  lead: string;
  location: string;
  start_datetime: string;
  timezone: string;
}

export interface Insights {
  tz: string;
  interval: InsightsInterval;
  total: number;
  periods: InsightsPeriod[];
  leads: NamedCount[];
  locations: NamedCount[];
  heatmap: HourCount[];
  upcoming: FinderWindow & { total: number; items: UpcomingItem[] };
}

export const insightsKeys = {
  all: (siteId: number) => [...interactionKeys.all(siteId), 'insights'] as const,
  forParams: (siteId: number, params: InsightsParams) => [...insightsKeys.all(siteId), params] as const,
};

const getInsights = (params: InsightsParams, signal?: AbortSignal) => api<Insights>('/api/insights', { params, signal });

export const insightsQueries = {
  forParams: (siteId: number, params: InsightsParams) =>
    queryOptions({
      queryKey: insightsKeys.forParams(siteId, params),
      queryFn: ({ signal }) => getInsights(params, signal),
      // The charts stay while new criteria load, but never another site's.
      placeholderData: (previous, previousQuery) =>
        previousQuery && matchQuery({ queryKey: insightsKeys.all(siteId) }, previousQuery)
          ? keepPreviousData(previous)
          : undefined,
    }),
};
