// Shapes of the API's JSON (documented at /api/openapi.json), shared by the client and the screens.
import type { InteractionInput, InteractionStamps, InteractionType } from './interactionFields';

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

export interface PersonRef {
  id: number;
  display_name: string;
}

/** A stored interaction: the editable fields (datetimes in UTC, "Z") plus identity, version and audit. */
export interface Interaction extends InteractionInput, InteractionStamps {
  id: number;
  site_id: number;
  version: number;
  created_by: PersonRef | null;
  updated_by: PersonRef | null;
}

/** The Finder's page: the server caps its count on large sites. */
export interface InteractionPage extends Page<Interaction> {
  /** False when the server stopped counting: `total` is then a lower bound. */
  total_exact: boolean;
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
  /** You administer every site of this person: unlock, reset link and (de)activation are yours. */
  account_wide: boolean;
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
  /** The address already has an account: it accepts signed in (acceptInvitationSignedIn), no new account. */
  existing_account: boolean;
}

export interface InvitationJoined {
  site_id: number;
  site_name: string;
  role: Role;
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
  /** A new address waiting for its confirmation link to be opened. */
  pending_email: string | null;
}

export interface EmailChangePending {
  new_email: string;
  expires_at: string;
}

/** A field's change in one version. On a history page a long text comes as two excerpts starting at `offset`. */
export interface Change {
  from: unknown;
  to: unknown;
  truncated: boolean;
  offset?: number;
  from_length?: number;
  to_length?: number;
}

export interface HistoryEntry {
  /** Where its texts come whole (`null`: a first version older than the audit trail, nothing to compare). */
  id: number | null;
  version: number;
  action: 'create' | 'update' | 'restore' | 'delete' | 'undelete';
  occurred_at: string;
  user: PersonRef | null;
  changes: Record<string, Change>;
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
