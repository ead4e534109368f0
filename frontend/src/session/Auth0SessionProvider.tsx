// Auth0 sessions (only when REACT_APP_AUTH0_DOMAIN is configured): Universal Login, tokens from the Auth0 SDK.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Auth0Provider, useAuth0, type AppState } from '@auth0/auth0-react';
import { useQueryClient } from '@tanstack/react-query';
import { installSessionHooks } from '../api/client';
import * as authApi from '../api/auth';
import type { User } from '../api/types';
import type { AppConfig } from '../config';
import { SessionContext, type SessionValue, type SignOutReason } from './SessionContext';

function Auth0Bridge({ children }: { children: ReactNode }) {
  const auth0 = useAuth0();
  const queryClient = useQueryClient();
  const [user, setUser] = useState<User | null>(null);
  const [failed, setFailed] = useState(false);
  const [signOutReason, setSignOutReason] = useState<SignOutReason>(null);
  const { isAuthenticated, isLoading, getAccessTokenSilently } = auth0;

  useEffect(() => {
    installSessionHooks({
      getToken: async () => (isAuthenticated ? ((await getAccessTokenSilently()) ?? null) : null),
      onUnauthorized: () => {
        setUser(null);
        setSignOutReason('expired');
        setFailed(true);
        queryClient.clear();
      },
    });
  }, [isAuthenticated, getAccessTokenSilently, queryClient]);

  useEffect(() => {
    if (!isAuthenticated || user || failed) return;
    authApi.fetchMe().then(setUser, () => setFailed(true));
  }, [isAuthenticated, user, failed]);

  const value = useMemo<SessionValue>(
    () => ({
      mode: 'auth0',
      status: isLoading || (isAuthenticated && !user && !failed) ? 'loading' : user ? 'signed-in' : 'signed-out',
      user,
      signOutReason,
      signIn: async () => undefined,
      signInWithRedirect: (returnTo) => auth0.loginWithRedirect({ appState: { returnTo } }),
      signOut: async () => {
        queryClient.clear();
        await auth0.logout({ logoutParams: { returnTo: window.location.origin } });
      },
      signOutEverywhere: async () => {
        await authApi.logoutEverywhere();
        queryClient.clear();
        await auth0.logout({ logoutParams: { returnTo: window.location.origin } });
      },
      refreshUser: async () => setUser(await authApi.fetchMe()),
      endSession: () => {
        queryClient.clear();
        void auth0.logout({ logoutParams: { returnTo: window.location.origin } });
      },
    }),
    [auth0, isLoading, isAuthenticated, user, failed, signOutReason, queryClient],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function Auth0SessionProvider({ config, children }: { config: AppConfig; children: ReactNode }) {
  const onRedirectCallback = (appState?: AppState) => {
    // Router is not mounted yet here; replace the URL so it renders the page the user came from.
    window.history.replaceState({}, '', appState?.returnTo ?? '/interactions');
  };
  return (
    <Auth0Provider
      domain={config.auth0Domain}
      clientId={config.auth0ClientId}
      authorizationParams={{
        redirect_uri: window.location.origin,
        ...(config.auth0Audience ? { audience: config.auth0Audience } : {}),
      }}
      onRedirectCallback={onRedirectCallback}
      cacheLocation="memory"
    >
      <Auth0Bridge>{children}</Auth0Bridge>
    </Auth0Provider>
  );
}
