// Binds one shortcut of the keymap. Letters never fire while typing in a field; nothing fires behind an
// open dialog or for a key a control already handled (Esc closing the time-zone list).
import { useEffect, useRef } from 'react';
import { useHotkeys } from 'react-hotkeys-hook';
import { SHORTCUTS, type ShortcutId } from './keymap';

const dialogOpen = () => document.querySelector('dialog[open]') !== null;

export function useShortcut(id: ShortcutId, handler: (event: KeyboardEvent) => void, enabled = true) {
  const shortcut = SHORTCUTS[id];
  // The newest handler, without binding the key again on every render.
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useHotkeys(
    shortcut.hotkey,
    (event) => latest.current(event),
    {
      enabled,
      enableOnFormTags: shortcut.inFields ?? false,
      useKey: shortcut.byCharacter ?? false,
      preventDefault: true,
      ignoreEventWhen: (event) => dialogOpen() || event.defaultPrevented || event.repeat,
    },
    [enabled],
  );
}
