// Explains a version conflict (someone saved in between) and offers the two honest ways forward.
import { FIELD_LABELS, FIELD_NAMES } from '../api/interactionFields';
import type { Interaction } from '../api/types';
import { Dialog } from '../components/Dialog';
import { formatLocal } from '../lib/datetime';
import { valuesFromInteraction, type InteractionFormValues } from './schema';

interface Props {
  current: Interaction | null;
  /** The signed-in user: their own save from another tab is told apart from a colleague's. */
  viewerId: number | null;
  mine: InteractionFormValues;
  busy: boolean;
  onReload: () => void;
  onOverwrite: () => void;
  onCancel: () => void;
}

export function changedFields(mine: InteractionFormValues, theirs: Interaction): string[] {
  const other = valuesFromInteraction(theirs);
  return FIELD_NAMES.filter((f) => String(mine[f]).trim() !== String(other[f]).trim()).map((f) => FIELD_LABELS[f]);
}

/** Who saved in between, in words: "You, in another tab or window", a colleague's name, or "Someone else". */
export function conflictAuthor(current: Interaction, viewerId: number | null) {
  const by = current.updated_by;
  if (by && viewerId !== null && by.id === viewerId) {
    return { self: true, title: 'You changed this interaction in another tab or window', who: 'You' };
  }
  const name = by?.display_name;
  return { self: false, title: name ? `${name} changed this interaction` : 'Someone else changed this interaction', who: name ?? 'Someone else' };
}

export function ConflictDialog({ current, viewerId, mine, busy, onReload, onOverwrite, onCancel }: Props) {
  const differing = current ? changedFields(mine, current) : [];
  const author = current ? conflictAuthor(current, viewerId) : null;
  return (
    <Dialog
      open={current !== null}
      title={author?.title ?? ''}
      onCancel={onCancel}
      actions={
        <>
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            Keep editing
          </button>
          <button type="button" className="button" data-autofocus onClick={onReload} disabled={busy}>
            {author?.self ? 'Load the saved version' : 'Reload their version'}
          </button>
          <button type="button" className="button button--danger" onClick={onOverwrite} disabled={busy}>
            {busy ? 'Saving…' : 'Overwrite with mine'}
          </button>
        </>
      }
    >
      {current && author && (
        <>
          <p>
            {author.self
              ? `You saved it in another tab or window at ${formatLocal(current.updated_at)}, after this page opened it. Saving here now would replace that version.`
              : `${author.who} saved it at ${formatLocal(current.updated_at)}, after you opened it. Saving now would replace their changes.`}
          </p>
          {differing.length > 0 && (
            <p>
              Your version differs in: <strong>{differing.join(', ')}</strong>.
            </p>
          )}
          <ul className="dialog__choices">
            <li>
              <strong>{author.self ? 'Load the saved version' : 'Reload their version'}</strong> shows the saved record;
              the edits on this page are discarded.
            </li>
            <li>
              <strong>Overwrite with mine</strong> saves this page’s version over the saved one.
            </li>
          </ul>
        </>
      )}
    </Dialog>
  );
}
