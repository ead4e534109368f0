// Discard, for an import not yet run: after a confirmation the import and its file go, which makes room for other
// uploads. The outcome is announced; where the focus goes next is the caller's (the button may be gone).
import { useState } from 'react';
import { describeError } from '../api/client';
import type { Import } from '../api/imports';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { useToast } from '../components/Toaster';
import { useDiscardImport } from './useImportActions';

interface Props {
  imp: Import;
  /** After the import is gone: move the focus, leave its address. */
  onDiscarded: () => void;
  /** A small button in a list, its name saying which file. */
  small?: boolean;
}

export function DiscardImport({ imp, onDiscarded, small = false }: Props) {
  const [confirming, setConfirming] = useState(false);
  const discard = useDiscardImport();
  const toast = useToast();

  const confirm = () => {
    setConfirming(false);
    discard.mutate(imp, {
      onSuccess: () => {
        toast(`“${imp.filename}” discarded.`);
        onDiscarded();
      },
      onError: (error) => toast(`“${imp.filename}” was not discarded: ${describeError(error)}`, 'error'),
    });
  };

  return (
    <>
      {/* Not disabled while the discard is on its way: a disabled button would drop the focus it has. */}
      <button
        type="button"
        className={`button button--danger${small ? ' button--small' : ''}`}
        aria-disabled={discard.isPending || undefined}
        onClick={() => !discard.isPending && setConfirming(true)}
      >
        {discard.isPending ? 'Discarding…' : 'Discard'}
        {small && (
          <>
            {' '}
            <span className="visually-hidden">{imp.filename}</span>
          </>
        )}
      </button>
      <ConfirmDialog
        open={confirming}
        title="Discard this import?"
        confirmLabel="Discard import"
        onCancel={() => setConfirming(false)}
        onConfirm={confirm}
      >
        <p>
          “{imp.filename}” and its uploaded file are removed. Nothing has been imported from it, so no interaction
          changes.
        </p>
      </ConfirmDialog>
    </>
  );
}
