// The three roles of a site, as a labelled select.
import type { Role } from '../api/types';
import { SelectField } from '../components/SelectField';

export const ROLE_LABELS: Record<Role, string> = { viewer: 'Viewer (read only)', editor: 'Editor', admin: 'Admin' };
const ROLE_CHOICES = Object.entries(ROLE_LABELS) as [Role, string][];

interface Props {
  id: string;
  value: Role;
  onChange: (role: Role) => void;
  label?: string;
  hideLabel?: boolean;
  disabled?: boolean;
}

export function RoleSelect({ label = 'Role', ...props }: Props) {
  return <SelectField label={label} choices={ROLE_CHOICES} {...props} />;
}
