// Auth and site endpoints.
import { api } from './client';
import type { AuthConfig, LoginResponse, SiteMembership, User } from './types';

export const fetchAuthConfig = () => api<AuthConfig>('/api/auth/config', { noSite: true });

export const login = (username: string, password: string) =>
  api<LoginResponse>('/api/auth/login', {
    method: 'POST',
    body: { username, password },
    noSite: true,
    skipUnauthorizedHandler: true,
  });

export const logout = () => api<void>('/api/auth/logout', { method: 'POST', noSite: true, skipUnauthorizedHandler: true });

export const logoutEverywhere = () =>
  api<void>('/api/auth/logout-all', { method: 'POST', noSite: true, skipUnauthorizedHandler: true });

export const fetchMe = () => api<User>('/api/auth/me', { noSite: true });

export const fetchSites = () => api<{ items: SiteMembership[] }>('/api/sites');

/** Always 202: the answer never says whether an account uses the address. */
export const requestPasswordReset = (email: string) =>
  api<void>('/api/auth/password-reset', {
    method: 'POST',
    body: { email },
    noSite: true,
    skipUnauthorizedHandler: true,
  });

export const confirmPasswordReset = (token: string, password: string) =>
  api<void>('/api/auth/password-reset/confirm', {
    method: 'POST',
    body: { token, password },
    noSite: true,
    skipUnauthorizedHandler: true,
  });
