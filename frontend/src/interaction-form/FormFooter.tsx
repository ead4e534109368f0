// Under the fields: who created and last changed the record, then Save / Save & New / Cancel / Delete (or, read-only, the way back).
import { Link } from 'react-router-dom';
import type { Interaction } from '../api/types';
import { formatLocal } from '../lib/datetime';

export function AuditLine({ item }: { item: Interaction }) {
  return (
    <p className="audit muted">
      Created {item.created_by ? `by ${item.created_by.display_name} ` : ''}on {formatLocal(item.created_at)}
      {item.updated_at !== item.created_at && (
        <>
          {' '}· last changed {item.updated_by ? `by ${item.updated_by.display_name} ` : ''}on {formatLocal(item.updated_at)}
        </>
      )}
      {' '}· <Link to={`/interactions/${item.id}/history`}>History</Link>
    </p>
  );
}

/** A viewer's only action. */
export function BackToList({ to }: { to: string }) {
  return (
    <div className="form-actions">
      <Link to={to} className="button">
        Back to the list
      </Link>
    </div>
  );
}

interface ActionsProps {
  busy: boolean;
  onSaveAndNew: () => void;
  onCancel: () => void;
  /** Absent for a new record. */
  onDelete?: () => void;
}

export function FormActions({ busy, onSaveAndNew, onCancel, onDelete }: ActionsProps) {
  return (
    <div className="form-actions">
      <button type="submit" className="button button--primary" disabled={busy}>
        {busy ? 'Saving…' : 'Save'}
      </button>
      <button type="button" className="button" disabled={busy} onClick={onSaveAndNew}>
        Save &amp; New
      </button>
      <button type="button" className="button button--ghost" onClick={onCancel}>
        Cancel
      </button>
      {onDelete && (
        <button type="button" className="button button--danger form-actions__delete" disabled={busy} onClick={onDelete}>
          Delete
        </button>
      )}
    </div>
  );
}
