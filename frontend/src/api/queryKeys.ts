// Cache keys of the screens that build their own queries; interaction keys live with their fetchers (interactions.ts).
import { interactionKeys } from './interactions';

export const queryKeys = {
  interactions: interactionKeys.all,
  deleted: interactionKeys.deleted,
  members: (siteId: number) => ['site-admin', siteId, 'members'] as const,
  invitations: (siteId: number) => ['site-admin', siteId, 'invitations'] as const,
  siteSettings: (siteId: number) => ['site-admin', siteId, 'settings'] as const,
  audit: (siteId: number, params: object) => ['site-admin', siteId, 'audit', params] as const,
  account: ['account'] as const,
  timezones: ['meta', 'timezones'] as const,
};
