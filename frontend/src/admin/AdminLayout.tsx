// The administration area of the current site: admins only, one tab per screen.
import { Navigate, NavLink, Outlet, type RouteObject } from 'react-router-dom';
import { PageHead } from '../components/PageHead';
import { useSite } from '../session/SiteContext';
import { ADMIN_SCREENS } from './screens';

export function AdminLayout() {
  const { site, role } = useSite();
  if (role !== 'admin') {
    return (
      <div className="empty-state" role="alert">
        <h1 className="page-title">Administrators only</h1>
        <p>Only administrators of {site.name} can manage it. Ask one of them if you need a change.</p>
      </div>
    );
  }
  return (
    <div className="admin">
      <PageHead title="Administration" subtitle={site.name} />
      <nav className="tabs" aria-label="Administration">
        {ADMIN_SCREENS.map(({ path, label }) => (
          <NavLink key={path} to={`/admin/${path}`} className="tabs__tab">
            {label}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </div>
  );
}

/** /admin opens the first tab. */
export const adminRoute: RouteObject = {
  path: 'admin',
  element: <AdminLayout />,
  children: [{ index: true, element: <Navigate to={`/admin/${ADMIN_SCREENS[0].path}`} replace /> }, ...ADMIN_SCREENS.map(({ path, element }) => ({ path, element }))],
};
