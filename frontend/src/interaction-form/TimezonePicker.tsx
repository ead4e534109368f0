// A searchable IANA time-zone picker (ARIA combobox): type part of a city or region, pick with arrows and Enter.
import { forwardRef, useId, useMemo, useState, type KeyboardEvent } from 'react';
import { currentOffsetLabel } from '../lib/datetime';

const MAX_SHOWN = 80;

interface Props {
  id: string;
  value: string;
  options: readonly string[];
  onChange: (zone: string) => void;
  onBlur?: () => void;
  disabled?: boolean;
  invalid?: boolean;
  describedBy?: string;
  required?: boolean;
}

const normalise = (s: string) => s.toLowerCase().replace(/[_\s]+/g, ' ').trim();

/** Zones containing every typed word; those whose city starts with the text come first. */
export function filterZones(options: readonly string[], text: string): string[] {
  const q = normalise(text);
  if (!q) return [...options];
  const words = q.split(' ');
  const matches = options.filter((zone) => {
    const z = normalise(zone);
    return words.every((w) => z.includes(w));
  });
  const city = (zone: string) => normalise(zone.split('/').pop() ?? zone);
  return matches.sort((a, b) => Number(!city(a).startsWith(q)) - Number(!city(b).startsWith(q)));
}

export const TimezonePicker = forwardRef<HTMLInputElement, Props>(function TimezonePicker(
  { id, value, options, onChange, onBlur, disabled, invalid, describedBy, required },
  ref,
) {
  const listId = useId();
  const [text, setText] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const open = text !== null;
  const matches = useMemo(() => (open ? filterZones(options, text) : []), [open, options, text]);
  const shown = matches.slice(0, MAX_SHOWN);

  const choose = (zone: string) => {
    onChange(zone);
    setText(null);
  };

  const close = () => {
    // Typed an exact name without picking it: accept it; anything else reverts to the last valid choice.
    const exact = text !== null && options.find((z) => z.toLowerCase() === text.trim().toLowerCase());
    if (exact && exact !== value) onChange(exact);
    setText(null);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!open) {
        setText('');
        setActive(Math.max(0, options.indexOf(value)));
        return;
      }
      const delta = event.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => Math.min(Math.max(i + delta, 0), Math.max(shown.length - 1, 0)));
    } else if (event.key === 'Enter' && open) {
      event.preventDefault();
      const zone = shown[active];
      if (zone) choose(zone);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      event.stopPropagation();
      setText(null);
    }
  };

  const activeId = open && shown[active] ? `${listId}-${active}` : undefined;
  return (
    <div className="combobox">
      <input
        ref={ref}
        id={id}
        type="text"
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={activeId}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        aria-required={required || undefined}
        autoComplete="off"
        spellCheck={false}
        disabled={disabled}
        value={open ? text : value}
        placeholder="Search, e.g. Berlin or New York"
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
        }}
        onFocus={(e) => e.target.select()}
        onClick={() => !open && !disabled && setText('')}
        onKeyDown={onKeyDown}
        onBlur={() => {
          close();
          onBlur?.();
        }}
      />
      {value && !open && <span className="combobox__hint">{currentOffsetLabel(value)}</span>}
      <ul id={listId} role="listbox" aria-label="Time zones" className="combobox__list" hidden={!open}>
        {open && shown.length === 0 && <li className="combobox__empty">No time zone matches “{text}”.</li>}
        {shown.map((zone, i) => (
          // Options are chosen with the input's arrow keys and Enter; mouse picks here.
          // eslint-disable-next-line jsx-a11y/click-events-have-key-events
          <li
            key={zone}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={zone === value}
            className={`combobox__option${i === active ? ' is-active' : ''}`}
            onMouseDown={(e) => e.preventDefault()}
            onMouseEnter={() => setActive(i)}
            onClick={() => choose(zone)}
          >
            <span>{zone.replace(/_/g, ' ')}</span>
            <span className="muted">{currentOffsetLabel(zone)}</span>
          </li>
        ))}
        {matches.length > MAX_SHOWN && (
          <li className="combobox__more" aria-hidden="true">
            {matches.length - MAX_SHOWN} more — keep typing to narrow down
          </li>
        )}
      </ul>
    </div>
  );
});
