// Local username/password sessions: a bearer token from /api/auth/login, kept until it expires or the API refuses it.
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { installSessionHooks } from '../api/client';
import * as authApi from '../api/auth';
import type { User } from '../api/types';
import { SessionContext, type SessionStatus, type SessionValue, type SignOutReason } from './SessionContext';
import { borrowSession, clearSession, loadSession, saveSession, type StoredSession } from './storage';

async function revoked(revoke: () => Promise<void>, reason: SignOutReason): Promise<SignOutReason> {
  try {
    await revoke();
    return reason;
  } catch {
    return 'revoke-failed';
  }
}

export function LocalSessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [stored, setStored] = useState<StoredSession | null>(() => loadSession());
  const [user, setUser] = useState<User | null>(null);
  // Without a login of its own, the tab first asks the other open tabs (see storage.ts).
  const [status, setStatus] = useState<SessionStatus>('loading');
  const [signOutReason, setSignOutReason] = useState<SignOutReason>(null);

  const end = useCallback(
    (reason: SignOutReason) => {
      clearSession();
      setStored(null);
      setUser(null);
      setStatus('signed-out');
      setSignOutReason(reason);
      queryClient.clear();
    },
    [queryClient],
  );

  useEffect(() => {
    installSessionHooks({
      getToken: () => loadSession()?.token ?? null,
      onUnauthorized: () => end('expired'),
    });
  }, [end]);

  useEffect(() => {
    if (loadSession()) return;
    // Signed in by the answer, or shown the sign-in page when none comes in time; a late answer (a busy tab)
    // still signs this tab in, unless the person has signed in here meanwhile (storage.ts keeps theirs).
    return borrowSession(
      (borrowed) => {
        if (borrowed) setStored(borrowed);
        else setStatus((current) => (current === 'loading' ? 'signed-out' : current));
      },
      (borrowed) => setStored((current) => current ?? borrowed),
    );
  }, []);

  // A token from an earlier visit: confirm it still works and learn who it belongs to.
  useEffect(() => {
    if (!stored || user) return;
    let cancelled = false;
    authApi
      .fetchMe()
      .then((me) => {
        if (cancelled) return;
        setUser(me);
        setStatus('signed-in');
      })
      .catch(() => {
        if (!cancelled) end('expired');
      });
    return () => {
      cancelled = true;
    };
  }, [stored, user, end]);

  // Sign out when the token runs out, rather than failing on the next click.
  useEffect(() => {
    if (!stored) return;
    const timer = window.setTimeout(() => end('expired'), Math.min(stored.expiresAt - Date.now(), 2 ** 31 - 1));
    return () => window.clearTimeout(timer);
  }, [stored, end]);

  const value = useMemo<SessionValue>(
    () => ({
      mode: 'local',
      status,
      user,
      signOutReason,
      signIn: async (username, password, keepSignedIn = false) => {
        const result = await authApi.login(username, password);
        setStored(saveSession(result.access_token, result.expires_in, keepSignedIn));
        setUser(result.user);
        setSignOutReason(null);
        setStatus('signed-in');
      },
      signInWithRedirect: async () => undefined,
      // The token is dropped locally either way (a failed revoke must not trap the user), but the
      // sign-in page then says the server could not end the session rather than "signed out".
      signOut: async () => {
        end(await revoked(authApi.logout, 'signed-out'));
      },
      signOutEverywhere: async () => {
        end(await revoked(authApi.logoutEverywhere, 'signed-out-everywhere'));
      },
      refreshUser: async () => setUser(await authApi.fetchMe()),
      endSession: () => end('signed-out'),
    }),
    [status, user, signOutReason, end],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
