// The three roles of a site, as a labelled select.
import type { Role } from '../api/types';

export const ROLE_LABELS: Record<Role, string> = { viewer: 'Viewer (read only)', editor: 'Editor', admin: 'Admin' };

interface Props {
  id: string;
  value: Role;
  onChange: (role: Role) => void;
  label?: string;
  hideLabel?: boolean;
  disabled?: boolean;
}

export function RoleSelect({ id, value, onChange, label = 'Role', hideLabel, disabled }: Props) {
  return (
    <div className="field">
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : undefined}>
        {label}
      </label>
      <select id={id} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value as Role)}>
        {(Object.keys(ROLE_LABELS) as Role[]).map((r) => (
          <option key={r} value={r}>
            {ROLE_LABELS[r]}
          </option>
        ))}
      </select>
    </div>
  );
}
