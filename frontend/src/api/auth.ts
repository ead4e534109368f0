// Auth endpoints: sign in and out, who is signed in, password reset.
import { api, postOutsideSession } from './client';
import type { LoginResponse, User } from './types';

export const login = (username: string, password: string) =>
  postOutsideSession<LoginResponse>('/api/auth/login', { username, password });

export const logout = () => postOutsideSession<void>('/api/auth/logout');

/** Ends every session of this person, this one included (204). */
export const logoutEverywhere = () => postOutsideSession<void>('/api/auth/logout-all');

export const fetchMe = () => api<User>('/api/auth/me', { noSite: true });

/** Always 202: the answer never says whether an account uses the address. */
export const requestPasswordReset = (email: string) => postOutsideSession<void>('/api/auth/password-reset', { email });

export const confirmPasswordReset = (token: string, password: string) =>
  postOutsideSession<void>('/api/auth/password-reset/confirm', { token, password });
