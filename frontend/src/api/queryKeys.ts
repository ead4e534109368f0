// Cache keys: everything about interactions is keyed by site, so a site switch never shows another site's data.
import type { FinderParams } from './interactions';

export const queryKeys = {
  interactions: (siteId: number) => ['interactions', siteId] as const,
  finder: (siteId: number, params: FinderParams) => ['interactions', siteId, 'list', params] as const,
  interaction: (siteId: number, id: number) => ['interactions', siteId, 'detail', id] as const,
  timezones: ['meta', 'timezones'] as const,
  interactionTypes: ['meta', 'interaction-types'] as const,
};
