// Guards the signed-in part of the app; a lost session goes to login with the current address to come back to.
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { FullPageLoading } from '../components/Spinner';
import { SiteProvider } from './SiteContext';
import { useSession } from './SessionContext';

export function RequireAuth({ children }: { children: ReactNode }) {
  const { status, user } = useSession();
  const location = useLocation();
  if (status === 'loading') return <FullPageLoading label="Signing you in…" />;
  if (status === 'signed-out' || !user) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return (
    <SiteProvider key={user.id} user={user}>
      {children}
    </SiteProvider>
  );
}
