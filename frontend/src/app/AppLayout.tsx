// The frame of every signed-in page (composes the features): skip link, header with site switcher, administration (admins), account and sign-out, then the page.
import { Link, Outlet, useNavigate } from 'react-router-dom';
import { useSession } from '../session/SessionContext';
import { useFinderAfterSiteSwitch } from '../finder/useFinderAfterSiteSwitch';
import { finderPath, insightsPath } from '../lib/finderLink';
import { ShortcutsHost } from '../shortcuts/ShortcutsHost';
import { DatabaseNotice } from './DatabaseNotice';
import { useSite } from '../session/SiteContext';

const ROLE_LABEL = { viewer: 'Viewer', editor: 'Editor', admin: 'Admin' } as const;

function SiteSwitcher() {
  const { site, sites, role, switchSite } = useSite();
  const afterSwitch = useFinderAfterSiteSwitch();

  if (sites.length < 2) {
    return (
      <div className="site-switcher">
        <span className="visually-hidden">Site:</span>
        <span className="site-switcher__name">{site.name}</span>
        <span className={`badge badge--${role}`}>{ROLE_LABEL[role]}</span>
      </div>
    );
  }
  return (
    <div className="site-switcher">
      <label htmlFor="site-switcher" className="visually-hidden">
        Site
      </label>
      <select
        id="site-switcher"
        value={site.id}
        onChange={(e) => {
          switchSite(Number(e.target.value));
          afterSwitch();
        }}
      >
        {sites.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      <span className={`badge badge--${role}`}>{ROLE_LABEL[role]}</span>
    </div>
  );
}

export function AppLayout() {
  const { user, signOut, signOutEverywhere } = useSession();
  const { role } = useSite();
  const navigate = useNavigate();
  // The address is read at click time: the layout does not re-render per page. A modified click keeps the link's own.
  const onPlainClick = (path: () => string) => (e: React.MouseEvent) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(path());
  };
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="app-header">
        <Link
          to="/interactions"
          className="brand"
          // Back to the Finder as the user left it.
          onClick={onPlainClick(finderPath)}
        >
          <span className="brand__mark" aria-hidden="true" />
          Interactions
        </Link>
        <SiteSwitcher />
        <Link
          to="/insights"
          className="button button--ghost"
          // The charts of the criteria last used in the Finder.
          onClick={onPlainClick(insightsPath)}
        >
          Insights
        </Link>
        <div className="app-header__user">
          <ShortcutsHost />
          {role === 'admin' && (
            <Link to="/admin/members" className="button button--ghost">
              <span className="wide-only">Administration</span>
              <span className="narrow-only">Admin</span>
            </Link>
          )}
          <Link to="/account" className="app-header__account" title={`My account (${user?.email ?? ''})`}>
            <span className="app-header__name">{user?.display_name}</span>
            <span className="narrow-only">Account</span>
          </Link>
          <button type="button" className="button button--ghost" onClick={() => void signOut()}>
            Sign out
          </button>
          <button
            type="button"
            className="button button--ghost"
            title="End your sessions on every device and browser"
            onClick={() => void signOutEverywhere()}
          >
            Sign out everywhere
          </button>
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        <DatabaseNotice />
        <Outlet />
      </main>
    </>
  );
}
