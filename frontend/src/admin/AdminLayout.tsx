// The administration area of the current site: admins only, one tab per screen.
import { NavLink, Outlet } from 'react-router-dom';
import { useSite } from '../layout/SiteContext';

const TABS = [
  ['members', 'Members'],
  ['audit', 'Audit log'],
  ['deleted', 'Recently deleted'],
  ['settings', 'Site settings'],
] as const;

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
      <div className="page-head">
        <div>
          <h1 className="page-title">Administration</h1>
          <p className="page-subtitle">{site.name}</p>
        </div>
      </div>
      <nav className="tabs" aria-label="Administration">
        {TABS.map(([path, label]) => (
          <NavLink key={path} to={`/admin/${path}`} className="tabs__tab">
            {label}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </div>
  );
}
