// One group of saved views in the views menu: open one, make it the default, copy its link, rename or delete it.
import type { SavedView } from '../../api/views';
import { VIEW_PARAM } from './viewParams';

export const viewLink = (view: SavedView) => `${window.location.origin}/interactions?${VIEW_PARAM}=${view.id}`;

interface Props {
  title: string;
  views: SavedView[];
  activeId: number | null;
  onOpen: (view: SavedView) => void;
  onToggleDefault: (view: SavedView) => void;
  onCopyLink: (view: SavedView) => void;
  onRename: (view: SavedView) => void;
  onDelete: (view: SavedView) => void;
}

export function ViewList({ title, views, activeId, onOpen, onToggleDefault, onCopyLink, onRename, onDelete }: Props) {
  return (
    <section className="views-group" aria-label={title}>
      <h3 className="menu__legend">{title}</h3>
      {views.length === 0 ? (
        <p className="views-group__empty muted">None yet.</p>
      ) : (
        <ul className="views-list">
          {views.map((view) => (
            <li key={view.id} className="views-list__item">
              <button
                type="button"
                className="views-list__open"
                aria-current={view.id === activeId ? 'true' : undefined}
                onClick={() => onOpen(view)}
              >
                <span className="views-list__name">{view.name}</span>
                {view.is_default && <span className="badge badge--viewer">Default</span>}
                {view.shared && title !== 'Shared with the site' && <span className="badge badge--editor">Shared</span>}
                {title === 'Shared with the site' && <span className="views-list__owner muted">by {view.owner.display_name}</span>}
              </button>
              <div className="views-list__actions">
                <button type="button" className="button button--small" aria-label={`${view.is_default ? 'Unset default' : 'Make default'}: ${view.name}`}
                  onClick={() => onToggleDefault(view)}>
                  {view.is_default ? 'Unset default' : 'Make default'}
                </button>
                <button type="button" className="button button--small" aria-label={`Copy link: ${view.name}`} onClick={() => onCopyLink(view)}>
                  Copy link
                </button>
                {view.can_change && (
                  <>
                    <button type="button" className="button button--small" aria-label={`Rename: ${view.name}`} onClick={() => onRename(view)}>
                      Rename
                    </button>
                    <button type="button" className="button button--small button--danger" aria-label={`Delete: ${view.name}`}
                      onClick={() => onDelete(view)}>
                      Delete
                    </button>
                  </>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
