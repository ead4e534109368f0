// A yes/no question before something destructive: Cancel (focused first, the safe choice) and a danger button.
import type { ReactNode } from 'react';
import { Dialog } from './Dialog';

interface Props {
  open: boolean;
  title: string;
  /** The danger button's label: the action in a word ("Delete", "Remove"). */
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  children: ReactNode;
}

export function ConfirmDialog({ open, title, confirmLabel, onConfirm, onCancel, children }: Props) {
  const cancel = <button type="button" className="button" data-autofocus onClick={onCancel}>Cancel</button>;
  const confirm = <button type="button" className="button button--danger" onClick={onConfirm}>{confirmLabel}</button>;
  return (
    <Dialog open={open} title={title} tone="danger" onCancel={onCancel} actions={<>{cancel}{confirm}</>}>
      {children}
    </Dialog>
  );
}
