// The screens of the administration area in tab order: its tabs and its routes are both built from this list.
import { AuditLogPage } from './AuditLogPage';
import { MembersPage } from './MembersPage';
import { RecentlyDeletedPage } from './RecentlyDeletedPage';
import { SiteSettingsPage } from './SiteSettingsPage';

export const ADMIN_SCREENS = [
  { path: 'members', label: 'Members', element: <MembersPage /> },
  { path: 'audit', label: 'Audit log', element: <AuditLogPage /> },
  { path: 'deleted', label: 'Recently deleted', element: <RecentlyDeletedPage /> },
  { path: 'settings', label: 'Site settings', element: <SiteSettingsPage /> },
] as const;
