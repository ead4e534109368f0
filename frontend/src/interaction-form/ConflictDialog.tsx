// Explains a version conflict (someone saved in between) and offers the two honest ways forward.
import { FIELD_LABELS, type Interaction } from '../api/types';
import { Dialog } from '../components/Dialog';
import { formatLocal } from '../lib/datetime';
import { FIELD_NAMES, valuesFromInteraction, type InteractionFormValues } from './schema';

interface Props {
  current: Interaction | null;
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

export function ConflictDialog({ current, mine, busy, onReload, onOverwrite, onCancel }: Props) {
  const differing = current ? changedFields(mine, current) : [];
  return (
    <Dialog
      open={current !== null}
      title="Someone else changed this interaction"
      onCancel={onCancel}
      actions={
        <>
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            Keep editing
          </button>
          <button type="button" className="button" data-autofocus onClick={onReload} disabled={busy}>
            Reload their version
          </button>
          <button type="button" className="button button--danger" onClick={onOverwrite} disabled={busy}>
            {busy ? 'Saving…' : 'Overwrite with mine'}
          </button>
        </>
      }
    >
      {current && (
        <>
          <p>
            {current.updated_by?.display_name ?? 'Another user'} saved it at {formatLocal(current.updated_at)}, after you
            opened it. Saving now would replace their changes.
          </p>
          {differing.length > 0 && (
            <p>
              Your version differs in: <strong>{differing.join(', ')}</strong>.
            </p>
          )}
          <ul className="dialog__choices">
            <li>
              <strong>Reload their version</strong> shows the saved record; your edits are discarded.
            </li>
            <li>
              <strong>Overwrite with mine</strong> saves your version over theirs.
            </li>
          </ul>
        </>
      )}
    </Dialog>
  );
}
