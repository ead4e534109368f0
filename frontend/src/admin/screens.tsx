// The screens of the administration area in tab order: its tabs and its routes are both built from this list.
import { lazyPage } from '../components/lazyPage';

// Administration loads on its first visit, one screen at a time.
const AuditLogPage = lazyPage(() => import('./AuditLogPage'), 'AuditLogPage');
const MembersPage = lazyPage(() => import('./MembersPage'), 'MembersPage');
const RecentlyDeletedPage = lazyPage(() => import('./RecentlyDeletedPage'), 'RecentlyDeletedPage');
const SiteSettingsPage = lazyPage(() => import('./SiteSettingsPage'), 'SiteSettingsPage');

export const ADMIN_SCREENS = [
  { path: 'members', label: 'Members', element: <MembersPage /> },
  { path: 'audit', label: 'Audit log', element: <AuditLogPage /> },
  { path: 'deleted', label: 'Recently deleted', element: <RecentlyDeletedPage /> },
  { path: 'settings', label: 'Site settings', element: <SiteSettingsPage /> },
] as const;
