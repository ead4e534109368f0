// The views menu beside the Finder's search box: the person's views and the site's shared ones, the open view's state
// ("modified" with Save / Save as new / Reset), and a notice of what an opened view named that no longer exists.
import { useCallback, useId, useState } from 'react';
import type { SavedView } from '../../api/views';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useToast } from '../../components/Toaster';
import { useDismiss } from '../../components/useDismiss';
import { useSession } from '../../session/SessionContext';
import { useSite } from '../../session/SiteContext';
import { useSavedViews, type ApplyExtras } from './useSavedViews';
import { ViewList, viewLink } from './ViewList';
import { ViewNameDialog } from './ViewNameDialog';
import type { ViewExtras } from './viewParams';

type Editing = { kind: 'new'; shared: boolean } | { kind: 'rename'; view: SavedView } | { kind: 'delete'; view: SavedView } | null;

export function ViewsMenu({ extras, applyExtras }: { extras: ViewExtras; applyExtras: ApplyExtras }) {
  const views = useSavedViews(extras, applyExtras);
  const { user } = useSession();
  const { canWrite } = useSite();
  const toast = useToast();
  const panelId = useId();
  const [open, setOpen] = useState(false);
  const [editing, setEditing] = useState<Editing>(null);
  const close = useCallback(() => setOpen(false), []);
  const rootRef = useDismiss(open, close);
  const { activeView, modified } = views;
  const mine = views.views.filter((v) => v.owner.id === user?.id);
  const shared = views.views.filter((v) => v.owner.id !== user?.id);

  const copyLink = (view: SavedView) => {
    const link = viewLink(view);
    // No clipboard outside a secure context: the toast then shows the link to copy by hand.
    (navigator.clipboard?.writeText(link) ?? Promise.reject(new Error('no clipboard')))
      .then(() => toast(`Link to “${view.name}” copied`, 'info'))
      .catch(() => toast(`Copy this link: ${link}`, 'info'));
  };
  const choose = (view: SavedView) => {
    setOpen(false);
    views.open(view);
  };

  return (
    <>
      <div className="menu views-menu" ref={rootRef}>
        <button type="button" className="button views-menu__button" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((o) => !o)}>
          {activeView ? <>View: <strong>{activeView.name}</strong></> : 'Views'}
        </button>
        {open && (
          <div id={panelId} className="menu__panel views-menu__panel">
            {views.failed && <p className="muted">Views could not be loaded.</p>}
            {views.loading ? (
              <p className="muted">Loading views…</p>
            ) : (
              <>
                <ViewList title="My views" views={mine} activeId={activeView?.id ?? null} onOpen={choose}
                  onToggleDefault={(v) => views.toggleDefault.mutate(v)} onCopyLink={copyLink}
                  onRename={(view) => setEditing({ kind: 'rename', view })} onDelete={(view) => setEditing({ kind: 'delete', view })} />
                <ViewList title="Shared with the site" views={shared} activeId={activeView?.id ?? null} onOpen={choose}
                  onToggleDefault={(v) => views.toggleDefault.mutate(v)} onCopyLink={copyLink}
                  onRename={(view) => setEditing({ kind: 'rename', view })} onDelete={(view) => setEditing({ kind: 'delete', view })} />
              </>
            )}
            <button type="button" className="button button--primary button--block" onClick={() => setEditing({ kind: 'new', shared: false })}>
              Save current view…
            </button>
          </div>
        )}
      </div>
      {activeView && modified && (
        <div className="views-modified" role="group" aria-label={`View “${activeView.name}” is modified`}>
          <span className="views-modified__label">Modified</span>
          {activeView.can_change && (
            <button type="button" className="button button--small" onClick={() => views.save()} disabled={views.change.isPending}>
              Save
            </button>
          )}
          <button type="button" className="button button--small" onClick={() => setEditing({ kind: 'new', shared: activeView.shared && canWrite })}>
            Save as new
          </button>
          <button type="button" className="button button--small" onClick={() => views.reset()}>
            Reset
          </button>
        </div>
      )}
      {views.dropped.length > 0 && (
        <div className="notice notice--warning views-notice" role="status">
          <ul>
            {views.dropped.map((sentence) => (
              <li key={sentence}>{sentence}</li>
            ))}
          </ul>
          <button type="button" className="button button--small" onClick={views.dismissDropped}>
            Dismiss
          </button>
        </div>
      )}
      {editing?.kind === 'new' && (
        <ViewNameDialog
          title="Save the current view"
          confirmLabel="Save view"
          choices={{ canShare: canWrite, shared: editing.shared }}
          onCancel={() => setEditing(null)}
          onSubmit={async (choice) => {
            await views.saveAs.mutateAsync(choice);
            setEditing(null);
            setOpen(false);
          }}
        />
      )}
      {editing?.kind === 'rename' && (
        <ViewNameDialog
          title={`Rename “${editing.view.name}”`}
          confirmLabel="Rename"
          initialName={editing.view.name}
          onCancel={() => setEditing(null)}
          onSubmit={({ name }) => views.change.mutateAsync({ view: editing.view, changes: { name } }).then(() => setEditing(null))}
        />
      )}
      <ConfirmDialog
        open={editing?.kind === 'delete'}
        title="Delete this view?"
        confirmLabel="Delete view"
        onCancel={() => setEditing(null)}
        onConfirm={() => {
          if (editing?.kind === 'delete') views.remove.mutate(editing.view);
          setEditing(null);
        }}
      >
        {editing?.kind === 'delete' && (
          <p>
            “{editing.view.name}” goes for {editing.view.shared ? 'everyone in this site' : 'you'}. The interactions it shows stay.
          </p>
        )}
      </ConfirmDialog>
    </>
  );
}
