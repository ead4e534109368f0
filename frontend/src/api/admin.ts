// Site administration endpoints (admins of the current site): members, invitations, settings, audit log, deleted records.
// Screens read through `adminQueries`; an admin action refreshes `adminKeys.all` (every action is in the audit log).
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api, apiRaw, postOutsideSession, type QueryValue } from './client';
import { interactionKeys } from './interactions';
import type {
  AuditEvent, DeletedInteraction, Interaction, Invitation, InvitationJoined, InvitationPreview, Member, Page, Role, SiteSettings,
} from './types';

type Params = Record<string, QueryValue>;

/** Keyed by site, like everything a site's administrator sees. */
export const adminKeys = {
  all: (siteId: number) => ['site-admin', siteId] as const,
  members: (siteId: number) => [...adminKeys.all(siteId), 'members'] as const,
  memberPage: (siteId: number, params: Params) => [...adminKeys.members(siteId), params] as const,
  memberChoices: (siteId: number) => [...adminKeys.members(siteId), 'choices'] as const,
  invitations: (siteId: number) => [...adminKeys.all(siteId), 'invitations'] as const,
  settings: (siteId: number) => [...adminKeys.all(siteId), 'settings'] as const,
  audit: (siteId: number, params: Params) => [...adminKeys.all(siteId), 'audit', params] as const,
};

const listMembers = (params: Params, signal?: AbortSignal) =>
  api<Page<Member>>('/api/site/members', { params, signal });

export const changeRole = (userId: number, role: Role, confirmSelf = false) =>
  api<Member>(`/api/site/members/${userId}`, { method: 'PATCH', body: { role, confirm_self: confirmSelf } });

export const removeMember = (userId: number, confirmSelf = false) =>
  api<void>(`/api/site/members/${userId}`, { method: 'DELETE', params: { confirm_self: confirmSelf || undefined } });

export type MemberAction = 'unlock' | 'reset-link' | 'deactivate' | 'reactivate';

export const memberAction = (userId: number, action: MemberAction) =>
  api<Member | undefined>(`/api/site/members/${userId}/${action}`, { method: 'POST' });

const listInvitations = () => api<{ items: Invitation[] }>('/api/site/invitations');

// Adding someone is inviting them, whether or not they already have an account: they join once they accept.
export const invite = (email: string, role: Role) =>
  api<Invitation>('/api/site/invitations', { method: 'POST', body: { email, role } });

export const revokeInvitation = (id: number) => api<void>(`/api/site/invitations/${id}`, { method: 'DELETE' });

const getSiteSettings = () => api<SiteSettings>('/api/site/settings');

export const saveSiteSettings = (settings: Omit<SiteSettings, 'id'>) =>
  api<SiteSettings>('/api/site/settings', { method: 'PUT', body: settings });

const listAuditEvents = (params: Params, signal?: AbortSignal) =>
  api<Page<AuditEvent>>('/api/site/audit', { params, signal });

export async function exportAuditEvents(params: Params): Promise<Blob> {
  return (await apiRaw('/api/site/audit/export', { params })).blob();
}

const listDeleted = (params: Params, signal?: AbortSignal) =>
  api<Page<DeletedInteraction>>('/api/interactions/deleted', { params, signal });

export const undeleteInteraction = (id: number) =>
  api<Interaction>(`/api/interactions/deleted/${id}/restore`, { method: 'POST' });

// Invitation links are opened signed out: no token, no site.
const lookupInvitation = (token: string) => postOutsideSession<InvitationPreview>('/api/invitations/lookup', { token });

export const acceptInvitation = (body: { token: string; username: string; display_name: string; password: string }) =>
  postOutsideSession<{ username: string; site_name: string }>('/api/invitations/accept', body);

// An invitation to the address of the signed-in account: that account joins the site (about no current site).
export const acceptInvitationSignedIn = (token: string) =>
  api<InvitationJoined>('/api/invitations/accept-signed-in', { method: 'POST', body: { token }, noSite: true });

// Members join and invitations are accepted by other people: these lists refresh whenever the window regains focus,
// however recently they were fetched.
const ALWAYS_ON_FOCUS = { refetchOnWindowFocus: 'always' } as const;

export const adminQueries = {
  memberPage: (siteId: number, params: Params) =>
    queryOptions({
      queryKey: adminKeys.memberPage(siteId, params),
      queryFn: ({ signal }) => listMembers(params, signal),
      placeholderData: keepPreviousData,
      ...ALWAYS_ON_FOCUS,
    }),
  /** Everyone, by name: the audit log's person filter. */
  memberChoices: (siteId: number) =>
    queryOptions({
      queryKey: adminKeys.memberChoices(siteId),
      queryFn: ({ signal }) => listMembers({ page_size: 100, sort: 'display_name' }, signal),
    }),
  invitations: (siteId: number) =>
    queryOptions({ queryKey: adminKeys.invitations(siteId), queryFn: listInvitations, ...ALWAYS_ON_FOCUS }),
  settings: (siteId: number) => queryOptions({ queryKey: adminKeys.settings(siteId), queryFn: getSiteSettings }),
  audit: (siteId: number, params: Params) =>
    queryOptions({
      queryKey: adminKeys.audit(siteId, params),
      queryFn: ({ signal }) => listAuditEvents(params, signal),
      placeholderData: keepPreviousData,
    }),
  /** Under the site's interaction keys: a write to interactions (a delete, an undo) refreshes it too. */
  deleted: (siteId: number, params: Params) =>
    queryOptions({
      queryKey: interactionKeys.deleted(siteId, params),
      queryFn: ({ signal }) => listDeleted(params, signal),
      placeholderData: keepPreviousData,
    }),
};

/** Invitation links are opened by the invited person, outside any site. */
export const invitationKeys = {
  preview: (token: string) => ['invitation', token] as const,
};

export const invitationQueries = {
  /** A wrong, expired or used link will not fix itself: no retry. */
  preview: (token: string) =>
    queryOptions({ queryKey: invitationKeys.preview(token), queryFn: () => lookupInvitation(token), enabled: Boolean(token), retry: false }),
};
