// My account: the signed-in person's own profile, password, e-mail address and sessions.
import { queryOptions } from '@tanstack/react-query';
import { api, postOutsideSession } from './client';
import type { Account, EmailChangePending } from './types';

/** The person's own, not a site's: one key whatever site is chosen. */
export const accountKeys = {
  mine: ['account'] as const,
};

const getAccount = () => api<Account>('/api/account', { noSite: true });

export const accountQueries = {
  mine: () => queryOptions({ queryKey: accountKeys.mine, queryFn: getAccount }),
};

export const updateAccount = (changes: Partial<Pick<Account, 'display_name' | 'default_site_id'>>) =>
  api<Account>('/api/account', { method: 'PATCH', body: changes, noSite: true });

export const changePassword = (currentPassword: string, newPassword: string) =>
  api<void>('/api/account/password', {
    method: 'POST',
    body: { current_password: currentPassword, new_password: newPassword },
    noSite: true,
  });

/** 202: nothing changes until the link mailed to the new address is opened; the current address is told. */
export const requestEmailChange = (currentPassword: string, newEmail: string) =>
  api<EmailChangePending>('/api/account/email', {
    method: 'POST',
    body: { current_password: currentPassword, new_email: newEmail },
    noSite: true,
  });

/** From the link mailed to the new address; needs no session (the link's token is the credential). */
export const confirmEmailChange = (token: string) => postOutsideSession<{ email: string }>('/api/account/email/confirm', { token });

export { logoutEverywhere } from './auth';
