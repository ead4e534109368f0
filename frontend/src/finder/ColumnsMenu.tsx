// Column show/hide, remembered in this browser (a preference, not part of a shared link).
import { useCallback, useId, useState } from 'react';
import type { VisibilityState } from '@tanstack/react-table';
import { DEFAULT_HIDDEN_FIELDS } from '../api/interactionFields';
import { useDismiss } from '../components/useDismiss';
import { HIDEABLE_COLUMNS } from './columns';

const STORAGE_KEY = 'ims.finder.columns';

export function loadColumnVisibility(): VisibilityState {
  const defaults = Object.fromEntries(DEFAULT_HIDDEN_FIELDS.map((c) => [c, false]));
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? { ...defaults, ...(JSON.parse(raw) as VisibilityState), title: true } : defaults;
  } catch {
    return defaults;
  }
}

export const saveColumnVisibility = (v: VisibilityState) => localStorage.setItem(STORAGE_KEY, JSON.stringify(v));

export function ColumnsMenu({ visibility, onChange }: { visibility: VisibilityState; onChange: (v: VisibilityState) => void }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const close = useCallback(() => setOpen(false), []);
  const rootRef = useDismiss(open, close);

  return (
    <div className="menu columns-menu" ref={rootRef}>
      <button type="button" className="button" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((o) => !o)}>
        Columns
      </button>
      {open && (
        <fieldset id={panelId} className="menu__panel">
          <legend className="menu__legend">Show columns</legend>
          {HIDEABLE_COLUMNS.map(({ id, label }) => (
            <label key={id} className="menu__item">
              <input
                type="checkbox"
                checked={visibility[id] !== false}
                onChange={(e) => onChange({ ...visibility, [id]: e.target.checked })}
              />
              {label}
            </label>
          ))}
        </fieldset>
      )}
    </div>
  );
}
