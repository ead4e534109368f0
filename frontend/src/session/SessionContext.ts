// The session as the screens see it, whatever signs the user in (local form or Auth0).
import { createContext, useContext } from 'react';
import type { User } from '../api/types';

export type SessionStatus = 'loading' | 'signed-out' | 'signed-in';
/** Why the user is signed out: 'revoke-failed' means only this browser forgot the session, the server
 * could not be told, so the page must not claim a sign-out it could not confirm. */
export type SignOutReason = 'expired' | 'signed-out' | 'signed-out-everywhere' | 'revoke-failed' | null;

export interface SessionValue {
  mode: 'local' | 'auth0';
  status: SessionStatus;
  user: User | null;
  signOutReason: SignOutReason;
  /** Local mode: exchange credentials for a token (throws ApiError); kept on this device only when asked. */
  signIn: (username: string, password: string, keepSignedIn?: boolean) => Promise<void>;
  /** Auth0 mode: go to Universal Login, coming back to `returnTo`. */
  signInWithRedirect: (returnTo: string) => Promise<void>;
  signOut: () => Promise<void>;
  /** End every session of the user on every device (POST /api/auth/logout-all), then sign out here. */
  signOutEverywhere: () => Promise<void>;
  /** Reload the user (sites, roles, names) after a change of account or site settings. */
  refreshUser: () => Promise<void>;
  /** The API ended every session of this person: forget this one too. */
  endSession: () => void;
}

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside a session provider');
  return value;
}
