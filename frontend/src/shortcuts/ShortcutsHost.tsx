// The "?" help dialog listing every shortcut (also behind a header button), and the live region shortcuts announce through.
import { useState } from 'react';
import { Dialog } from '../components/Dialog';
import { ANNOUNCER_ID } from './announce';
import { SHORTCUTS, type Shortcut } from './keymap';
import { useShortcut } from './useShortcut';

const GROUPS: readonly Shortcut['where'][] = ['Anywhere', 'Interactions list', 'Interaction form'];

function Keys({ keys }: { keys: readonly string[] }) {
  return (
    <span className="shortcut-keys">
      {keys.map((key, i) => (
        <span key={key}>
          {i > 0 && ' + '}
          <kbd>{key}</kbd>
        </span>
      ))}
    </span>
  );
}

export function ShortcutsHost() {
  const [open, setOpen] = useState(false);
  useShortcut('help', () => setOpen(true));
  const all = Object.values(SHORTCUTS);

  return (
    <>
      <button type="button" className="button button--ghost" title="Keyboard shortcuts (?)" onClick={() => setOpen(true)}>
        <span aria-hidden="true">⌨</span>
        <span className="visually-hidden">Keyboard shortcuts</span>
      </button>
      <div id={ANNOUNCER_ID} className="visually-hidden" role="status" aria-live="polite" />
      <Dialog
        open={open}
        title="Keyboard shortcuts"
        onCancel={() => setOpen(false)}
        actions={
          <button type="button" className="button" onClick={() => setOpen(false)} data-autofocus>
            Close
          </button>
        }
      >
        <p>Letters work when the cursor is not in a field.</p>
        {GROUPS.map((where) => (
          <section key={where} className="shortcut-group">
            <h3>{where}</h3>
            <dl className="shortcut-list">
              {all
                .filter((s) => s.where === where)
                .map((s) => (
                  <div key={s.hotkey} className="shortcut-list__item">
                    <dt>
                      <Keys keys={s.keys} />
                    </dt>
                    <dd>{s.label}</dd>
                  </div>
                ))}
            </dl>
          </section>
        ))}
      </Dialog>
    </>
  );
}
