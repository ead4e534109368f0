// My account: the signed-in person's own profile, password and sessions.
import { api } from './client';
import type { Account } from './types';

export const getAccount = () => api<Account>('/api/account', { noSite: true });

export const updateAccount = (changes: Partial<Pick<Account, 'display_name' | 'email' | 'default_site_id'>>) =>
  api<Account>('/api/account', { method: 'PATCH', body: changes, noSite: true });

export const changePassword = (currentPassword: string, newPassword: string) =>
  api<void>('/api/account/password', {
    method: 'POST',
    body: { current_password: currentPassword, new_password: newPassword },
    noSite: true,
  });

export { logoutEverywhere } from './auth';
