// Site administration endpoints (admins of the current site): members, invitations, settings, audit log, deleted records.
import { api, apiRaw, postOutsideSession, type QueryValue } from './client';
import type {
  AuditEvent, DeletedInteraction, Interaction, Invitation, InvitationJoined, InvitationPreview, Member, Page, Role, SiteSettings,
} from './types';

export const listMembers = (params: Record<string, QueryValue>, signal?: AbortSignal) =>
  api<Page<Member>>('/api/site/members', { params, signal });

export const changeRole = (userId: number, role: Role, confirmSelf = false) =>
  api<Member>(`/api/site/members/${userId}`, { method: 'PATCH', body: { role, confirm_self: confirmSelf } });

export const removeMember = (userId: number, confirmSelf = false) =>
  api<void>(`/api/site/members/${userId}`, { method: 'DELETE', params: { confirm_self: confirmSelf || undefined } });

export type MemberAction = 'unlock' | 'reset-link' | 'deactivate' | 'reactivate';

export const memberAction = (userId: number, action: MemberAction) =>
  api<Member | undefined>(`/api/site/members/${userId}/${action}`, { method: 'POST' });

export const listInvitations = () => api<{ items: Invitation[] }>('/api/site/invitations');

// Adding someone is inviting them, whether or not they already have an account: they join once they accept.
export const invite = (email: string, role: Role) =>
  api<Invitation>('/api/site/invitations', { method: 'POST', body: { email, role } });

export const revokeInvitation = (id: number) => api<void>(`/api/site/invitations/${id}`, { method: 'DELETE' });

export const getSiteSettings = () => api<SiteSettings>('/api/site/settings');

export const saveSiteSettings = (settings: Omit<SiteSettings, 'id'>) =>
  api<SiteSettings>('/api/site/settings', { method: 'PUT', body: settings });

export const listAuditEvents = (params: Record<string, QueryValue>, signal?: AbortSignal) =>
  api<Page<AuditEvent>>('/api/site/audit', { params, signal });

export async function exportAuditEvents(params: Record<string, QueryValue>): Promise<Blob> {
  return (await apiRaw('/api/site/audit/export', { params })).blob();
}

export const listDeleted = (params: Record<string, QueryValue>, signal?: AbortSignal) =>
  api<Page<DeletedInteraction>>('/api/interactions/deleted', { params, signal });

export const undeleteInteraction = (id: number) =>
  api<Interaction>(`/api/interactions/deleted/${id}/restore`, { method: 'POST' });

// Invitation links are opened signed out: no token, no site.
export const lookupInvitation = (token: string) => postOutsideSession<InvitationPreview>('/api/invitations/lookup', { token });

export const acceptInvitation = (body: { token: string; username: string; display_name: string; password: string }) =>
  postOutsideSession<{ username: string; site_name: string }>('/api/invitations/accept', body);

// An invitation to the address of the signed-in account: that account joins the site (about no current site).
export const acceptInvitationSignedIn = (token: string) =>
  api<InvitationJoined>('/api/invitations/accept-signed-in', { method: 'POST', body: { token }, noSite: true });
