// The current site: every API call carries it (X-Site-ID), every cached query is keyed by it, the last choice is remembered.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { installSessionHooks } from '../api/client';
import type { Role, SiteMembership, User } from '../api/types';
import { loadSiteId, saveSiteId } from './storage';

// Read synchronously by the API client, so a request issued right after a switch already goes to the new site.
let activeSiteId: number | null = null;
installSessionHooks({ getSiteId: () => activeSiteId });

export interface SiteValue {
  site: SiteMembership;
  sites: SiteMembership[];
  role: Role;
  canWrite: boolean;
  switchSite: (siteId: number) => void;
}

const SiteContext = createContext<SiteValue | null>(null);

export function initialSite(user: User, remembered: number | null): SiteMembership | null {
  const byId = (id: number | null) => user.sites.find((s) => s.id === id) ?? null;
  return byId(remembered) ?? byId(user.default_site_id) ?? user.sites[0] ?? null;
}

export function SiteProvider({ user, children }: { user: User; children: ReactNode }) {
  const [siteId, setSiteId] = useState<number | null>(() => {
    const site = initialSite(user, loadSiteId(user.id));
    activeSiteId = site?.id ?? null;
    return activeSiteId;
  });

  const switchSite = useCallback(
    (id: number) => {
      activeSiteId = id;
      saveSiteId(user.id, id);
      setSiteId(id);
    },
    [user.id],
  );

  const site = user.sites.find((s) => s.id === siteId) ?? null;
  const value = useMemo<SiteValue | null>(
    () =>
      site && {
        site,
        sites: user.sites,
        role: site.role,
        canWrite: site.role === 'editor' || site.role === 'admin',
        switchSite,
      },
    [site, user.sites, switchSite],
  );

  if (!value) {
    return (
      <main className="centered-page">
        <div className="panel">
          <h1>No site yet</h1>
          <p>Your account is not a member of any site. Ask an administrator to add you to one.</p>
        </div>
      </main>
    );
  }
  return <SiteContext.Provider value={value}>{children}</SiteContext.Provider>;
}

export function useSite(): SiteValue {
  const value = useContext(SiteContext);
  if (!value) throw new Error('useSite must be used inside SiteProvider');
  return value;
}
