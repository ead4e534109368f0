// The form's shortcuts: Ctrl/⌘+S saves (from inside a field too), Esc goes back to the list (the
// unsaved-changes guard still asks), "e" puts the cursor in the first field.
import { announce } from '../shortcuts/announce';
import { useShortcut } from '../shortcuts/useShortcut';

interface FormShortcuts {
  canWrite: boolean;
  busy: boolean;
  save: () => void;
  back: () => void;
  edit: () => void;
}

export function useFormShortcuts({ canWrite, busy, save, back, edit }: FormShortcuts) {
  useShortcut('save', save, canWrite && !busy);
  useShortcut('back', back);
  useShortcut(
    'edit',
    () => {
      edit();
      announce('Editing: the cursor is in Title');
    },
    canWrite,
  );
}
