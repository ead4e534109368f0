// Shapes of the API's JSON (DESIGN §5), shared by the client and the screens.

export type Role = 'viewer' | 'editor' | 'admin';

export interface SiteMembership {
  id: number;
  name: string;
  role: Role;
  /** Pre-fills new interactions; null or absent: the browser's zone. */
  default_timezone?: string | null;
}

export interface User {
  id: number;
  username: string;
  email: string;
  display_name: string;
  default_site_id: number | null;
  sites: SiteMembership[];
}

export interface LoginResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  user: User;
}

export type AuthConfig =
  | { mode: 'local' }
  | { mode: 'auth0'; domain: string; client_id: string; audience: string };

export const INTERACTION_TYPES = [
  'Meeting',
  'Call',
  'Email',
  'Visit',
  'Conference',
  'Training',
  'Webinar',
  'Other',
] as const;

export type InteractionType = (typeof INTERACTION_TYPES)[number];

export interface PersonRef {
  id: number;
  display_name: string;
}

/** A stored interaction: the editable fields (datetimes in UTC, "Z") plus identity, version and audit. */
export interface Interaction extends InteractionInput {
  id: number;
  site_id: number;
  version: number;
  created_at: string;
  updated_at: string;
  created_by: PersonRef | null;
  updated_by: PersonRef | null;
}

/** What the form sends: every editable field, datetimes ISO 8601 with offset. */
export interface InteractionInput {
  title: string;
  type: InteractionType;
  lead: string;
  start_datetime: string;
  end_datetime: string;
  timezone: string;
  location: string;
  description: string;
  notes: string;
}

/** How every screen names the fields of an interaction. */
export const FIELD_LABELS = {
  title: 'Title',
  type: 'Type',
  lead: 'Lead',
  start_datetime: 'Start',
  end_datetime: 'End',
  timezone: 'Time zone',
  location: 'Location',
  description: 'Description',
  notes: 'Notes',
  created_at: 'Created',
  updated_at: 'Last updated',
} as const;

export interface InteractionPage {
  items: Interaction[];
  page: number;
  page_size: number;
  total: number;
  pages: number;
  total_exact?: boolean;
}

export interface ErrorEnvelope {
  error: { code: string; message: string; details?: unknown };
}

/** A paged list as the admin screens get it (the Finder's shape). */
export interface Page<T> {
  items: T[];
  page: number;
  page_size: number;
  total: number;
  pages: number;
}

export interface Member {
  user_id: number;
  username: string;
  display_name: string;
  email: string;
  role: Role;
  last_login_at: string | null;
  is_active: boolean;
  locked: boolean;
  locked_until: string | null;
  auth: 'local' | 'external';
}

export interface Invitation {
  id: number;
  email: string;
  role: Role;
  invited_by: PersonRef | null;
  created_at: string;
  expires_at: string;
}

export interface InvitationPreview {
  email: string;
  role: Role;
  site_name: string;
  invited_by: string | null;
  expires_at: string;
  auth_mode: 'local' | 'auth0';
}

export interface SiteSettings {
  id: number;
  name: string;
  default_timezone: string | null;
}

export interface AuditEvent {
  id: number;
  occurred_at: string;
  action: string;
  user: PersonRef | null;
  entity_type: string | null;
  entity_id: number | null;
  changes: Record<string, unknown> | null;
  client_ip: string | null;
}

export interface Account extends User {
  has_password: boolean;
}

export type Change = { from: unknown; to: unknown };

export interface HistoryEntry {
  version: number;
  action: 'create' | 'update' | 'restore' | 'delete' | 'undelete';
  occurred_at: string;
  user: PersonRef | null;
  changes: Record<string, Change>;
  snapshot: InteractionInput | null;
  restored_from: number | null;
}

export interface DeletedInteraction {
  id: number;
  title: string;
  type: InteractionType;
  lead: string;
  start_datetime: string;
  timezone: string;
  deleted_at: string;
  deleted_by: PersonRef | null;
}
