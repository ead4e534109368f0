// Cache keys: everything about interactions is keyed by site, so a site switch never shows another site's data.
import type { FinderParams } from './interactions';

export const queryKeys = {
  interactions: (siteId: number) => ['interactions', siteId] as const,
  finder: (siteId: number, params: FinderParams) => ['interactions', siteId, 'list', params] as const,
  interaction: (siteId: number, id: number) => ['interactions', siteId, 'detail', id] as const,
  history: (siteId: number, id: number) => ['interactions', siteId, 'history', id] as const,
  deleted: (siteId: number, params: object) => ['interactions', siteId, 'deleted', params] as const,
  members: (siteId: number) => ['site-admin', siteId, 'members'] as const,
  invitations: (siteId: number) => ['site-admin', siteId, 'invitations'] as const,
  siteSettings: (siteId: number) => ['site-admin', siteId, 'settings'] as const,
  audit: (siteId: number, params: object) => ['site-admin', siteId, 'audit', params] as const,
  account: ['account'] as const,
  timezones: ['meta', 'timezones'] as const,
  interactionTypes: ['meta', 'interaction-types'] as const,
};
