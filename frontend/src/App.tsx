// Providers and routes of the SPA.
import { focusManager, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useState, type ReactNode } from 'react';
import { createBrowserRouter, Link, Navigate, RouterProvider, useLocation, type RouteObject } from 'react-router-dom';
import { isApiError } from './api/client';
import { LocalSessionProvider } from './session/LocalSessionProvider';
import { adminRoute } from './admin/AdminLayout';
import { LoginPage } from './auth/LoginPage';
import { RequireAuth } from './session/RequireAuth';
import { lazyPage } from './components/lazyPage';
import { FullPageLoading } from './components/Spinner';
import { Toaster } from './components/Toaster';
import { config as runtimeConfig, usesAuth0, type AppConfig } from './config';
import { AppLayout } from './app/AppLayout';

// Only sign-in comes with the app; every other page loads on its first visit. The Finder too: its table, dates
// and field definitions would take the first screen's script from about 120 kB to 186 kB (gzipped).
const FinderPage = lazyPage(() => import('./finder/FinderPage'), 'FinderPage');
const AccountPage = lazyPage(() => import('./account/AccountPage'), 'AccountPage');
const ConfirmEmailPage = lazyPage(() => import('./account/ConfirmEmailPage'), 'ConfirmEmailPage');
const AcceptInvitationPage = lazyPage(() => import('./auth/AcceptInvitationPage'), 'AcceptInvitationPage');
const ForgotPasswordPage = lazyPage(() => import('./auth/ForgotPasswordPage'), 'ForgotPasswordPage');
const ResetPasswordPage = lazyPage(() => import('./auth/ResetPasswordPage'), 'ResetPasswordPage');
const InteractionFormPage = lazyPage(() => import('./interaction-form/InteractionFormPage'), 'InteractionFormPage');
const HistoryPage = lazyPage(() => import('./interaction-history/HistoryPage'), 'HistoryPage');
const ImportPage = lazyPage(() => import('./imports/ImportPage'), 'ImportPage');

/**
 * TanStack Query refetches on focus when the tab becomes visible again; coming back from another window (the mail
 * client, a second browser window) leaves the tab visible all along, so the window's focus counts too.
 */
function refetchOnWindowFocusToo() {
  focusManager.setEventListener((handleFocus) => {
    const focused = () => handleFocus();
    window.addEventListener('visibilitychange', focused);
    window.addEventListener('focus', focused);
    return () => {
      window.removeEventListener('visibilitychange', focused);
      window.removeEventListener('focus', focused);
    };
  });
}

export function createQueryClient() {
  refetchOnWindowFocusToo();
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // Client errors (404, 403, 400) will not fix themselves; retry only network and server trouble.
        retry: (count, error) => !(isApiError(error) && error.status >= 400 && error.status < 500) && count < 2,
      },
    },
  });
}

// The charts (and their library) load with the insights page, not with the first screen.
const InsightsPage = lazy(() => import('./insights/InsightsPage'));

/** A fresh form for every visit, so "Save & New" starts clean. */
function FormRoute() {
  const location = useLocation();
  return <InteractionFormPage key={location.key} />;
}

function NotFound() {
  return (
    <div className="empty-state">
      <h1 className="page-title">Page not found</h1>
      <Link to="/interactions" className="button button--primary">
        Go to the interactions
      </Link>
    </div>
  );
}

export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage /> },
  // Reachable signed out: the e-mails (reset link, lockout notice, new address's confirmation) point here.
  { path: '/forgot-password', element: <ForgotPasswordPage /> },
  { path: '/reset-password', element: <ResetPasswordPage /> },
  { path: '/accept-invitation', element: <AcceptInvitationPage /> },
  { path: '/confirm-email', element: <ConfirmEmailPage /> },
  {
    path: '/',
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <Navigate to="/interactions" replace /> },
      { path: 'interactions', element: <FinderPage /> },
      { path: 'interactions/new', element: <FormRoute /> },
      { path: 'interactions/:id', element: <FormRoute /> },
      { path: 'interactions/:id/history', element: <HistoryPage /> },
      {
        path: 'insights',
        element: (
          <Suspense fallback={<FullPageLoading label="Loading insights…" />}>
            <InsightsPage />
          </Suspense>
        ),
      },
      { path: 'imports', element: <ImportPage /> },
      { path: 'imports/:id', element: <ImportPage /> },
      { path: 'account', element: <AccountPage /> },
      adminRoute,
      { path: '*', element: <NotFound /> },
    ],
  },
];

// The Auth0 SDK is only downloaded where Auth0 is configured.
const Auth0SessionProvider = lazy(() =>
  import('./session/Auth0SessionProvider').then((m) => ({ default: m.Auth0SessionProvider })),
);

export function SessionProvider({ config, children }: { config: AppConfig; children: ReactNode }) {
  return usesAuth0(config) ? (
    <Suspense fallback={<FullPageLoading />}>
      <Auth0SessionProvider config={config}>{children}</Auth0SessionProvider>
    </Suspense>
  ) : (
    <LocalSessionProvider>{children}</LocalSessionProvider>
  );
}

export function App({ config = runtimeConfig }: { config?: AppConfig }) {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(() => createBrowserRouter(routes));
  return (
    <QueryClientProvider client={queryClient}>
      <Toaster>
        <SessionProvider config={config}>
          <RouterProvider router={router} />
        </SessionProvider>
      </Toaster>
    </QueryClientProvider>
  );
}
