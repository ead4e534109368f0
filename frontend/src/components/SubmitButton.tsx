// A form's submit button, disabled and saying what is happening while the form is sent.
import type { ReactNode } from 'react';

interface SubmitButtonProps {
  busy: boolean;
  /** What the button says while busy, e.g. "Saving…". */
  busyLabel: string;
  /** Full width, as on the signed-out cards. */
  block?: boolean;
  children: ReactNode;
}

export function SubmitButton({ busy, busyLabel, block, children }: SubmitButtonProps) {
  return (
    <button type="submit" className={`button button--primary${block ? ' button--block' : ''}`} disabled={busy}>
      {busy ? busyLabel : children}
    </button>
  );
}
