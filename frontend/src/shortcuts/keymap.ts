// Every keyboard shortcut, listed once: the help dialog shows this list and useShortcut binds from it.

export type ShortcutId = 'help' | 'search' | 'new' | 'next' | 'previous' | 'open' | 'tick' | 'edit' | 'save' | 'back';

export interface Shortcut {
  /** The key as react-hotkeys-hook matches it (`mod` is Ctrl, or ⌘ on a Mac). */
  hotkey: string;
  /** The keys as the help dialog shows them. */
  keys: readonly string[];
  label: string;
  where: 'Anywhere' | 'Interactions list' | 'Interaction form';
  /** Fires while the cursor is in a field too: only keys that type nothing may (a letter is typing). */
  inFields?: boolean;
  /** Matches the character typed rather than the physical key: "?" and "/" sit elsewhere on other layouts. */
  byCharacter?: boolean;
  /** Handled by the browser itself (a focused link opens on Enter) or by the element in focus (the Finder's table
   * ticks a row on Space); listed so the help is complete. */
  native?: boolean;
}

export const SHORTCUTS: Record<ShortcutId, Shortcut> = {
  help: { hotkey: '?', keys: ['?'], label: 'Show these shortcuts', where: 'Anywhere', byCharacter: true },
  search: { hotkey: '/', keys: ['/'], label: 'Search', where: 'Interactions list', byCharacter: true },
  new: { hotkey: 'n', keys: ['n'], label: 'New interaction', where: 'Interactions list' },
  next: { hotkey: 'j', keys: ['j'], label: 'Next row', where: 'Interactions list' },
  previous: { hotkey: 'k', keys: ['k'], label: 'Previous row', where: 'Interactions list' },
  open: { hotkey: 'enter', keys: ['Enter'], label: 'Open the selected row', where: 'Interactions list', native: true },
  tick: { hotkey: 'space', keys: ['Space'], label: 'Tick the selected row for a bulk action (editors)', where: 'Interactions list', native: true },
  edit: { hotkey: 'e', keys: ['e'], label: 'Edit (the selected row, or the open interaction)', where: 'Anywhere' },
  save: { hotkey: 'mod+s', keys: ['Ctrl', 'S'], label: 'Save (⌘ S on a Mac)', where: 'Interaction form', inFields: true },
  back: { hotkey: 'escape', keys: ['Esc'], label: 'Close, or back to the list', where: 'Interaction form', inFields: true },
};
