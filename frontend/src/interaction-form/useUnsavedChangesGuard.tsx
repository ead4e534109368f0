// Warns before unsaved edits are lost: in-app navigation asks in a dialog, closing or reloading the tab asks the browser.
import { useEffect, useRef } from 'react';
import { useBlocker } from 'react-router-dom';
import { Dialog } from '../components/Dialog';

export function useUnsavedChangesGuard(dirty: boolean, onDiscard?: () => void) {
  // Set just before a navigation the form itself starts (after a save or delete).
  const bypass = useRef(false);
  const blocker = useBlocker(({ currentLocation, nextLocation }) => {
    if (bypass.current || !dirty) return false;
    return currentLocation.pathname !== nextLocation.pathname || currentLocation.search !== nextLocation.search;
  });

  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);

  const dialog = (
    <Dialog
      open={blocker.state === 'blocked'}
      title="Discard unsaved changes?"
      onCancel={() => blocker.reset?.()}
      actions={
        <>
          <button type="button" className="button" data-autofocus onClick={() => blocker.reset?.()}>
            Keep editing
          </button>
          <button
            type="button"
            className="button button--danger"
            onClick={() => {
              onDiscard?.();
              blocker.proceed?.();
            }}
          >
            Discard changes
          </button>
        </>
      }
    >
      <p>You have changes to this interaction that are not saved. If you leave now they are lost.</p>
    </Dialog>
  );

  return {
    dialog,
    /** Let the next navigation through without asking. */
    allowNavigation: () => {
      bypass.current = true;
    },
  };
}
