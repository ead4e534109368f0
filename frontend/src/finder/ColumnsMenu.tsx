// Column show/hide, remembered in this browser (a preference, not part of a shared link).
import { useEffect, useId, useRef, useState } from 'react';
import type { VisibilityState } from '@tanstack/react-table';
import { DEFAULT_HIDDEN_FIELDS } from '../api/interactionFields';
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
  const rootRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent && event.key !== 'Escape') return;
      if (event instanceof MouseEvent && rootRef.current?.contains(event.target as Node)) return;
      setOpen(false);
      if (event instanceof KeyboardEvent) rootRef.current?.querySelector('button')?.focus();
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

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
