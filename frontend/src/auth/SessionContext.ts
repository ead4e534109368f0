// The session as the screens see it, whatever signs the user in (local form or Auth0).
import { createContext, useContext } from 'react';
import type { User } from '../api/types';

export type SessionStatus = 'loading' | 'signed-out' | 'signed-in';
export type SignOutReason = 'expired' | 'signed-out' | null;

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
}

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside a session provider');
  return value;
}
