// The bulk action bar, shown while rows are selected: "N selected · Select all M matching · Change type · Change lead ·
// Change location · Delete · Clear". Each action asks first, saying how many records will change.
import { useId, useState, type FormEvent } from 'react';
import { INTERACTION_TYPES } from '../api/interactionFields';
import type { BulkRequest } from '../api/bulk';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Dialog } from '../components/Dialog';
import { records, selectedCount, targetOf, type Selection } from './selection';

type Pending = { field: 'type'; value: string } | { field: 'lead' | 'location'; value: string } | { field: 'delete' };

interface Props {
  selection: Selection;
  /** Rows on this page, and the Finder's count of every match (null when not known exactly). */
  pageRows: number;
  matching: number | null;
  onSelectAll: () => void;
  /** Every row of this page (the header's checkbox, which narrow screens do not show). */
  onSelectPage: () => void;
  selectingAll: boolean;
  onClear: () => void;
  onRun: (request: BulkRequest) => void;
  busy: boolean;
}

const TEXT_LABELS = { lead: 'lead', location: 'location' } as const;
const LIMITS = { lead: 100, location: 200 } as const;

export function BulkBar({ selection, pageRows, matching, onSelectAll, onSelectPage, selectingAll, onClear, onRun, busy }: Props) {
  const [pending, setPending] = useState<Pending | null>(null);
  const typeId = useId();
  const count = selectedCount(selection);
  const many = records(count);
  const offerAll = selection.mode === 'rows' && count === pageRows && (matching === null || matching > pageRows);

  const run = () => {
    if (!pending) return;
    const target = targetOf(selection);
    onRun(pending.field === 'delete' ? { ...target, action: 'delete' } : { ...target, action: 'change', changes: { [pending.field]: pending.value.trim() } });
    setPending(null);
  };

  return (
    <div className="bulk-bar" role="region" aria-label="Bulk actions">
      <span className="bulk-bar__count" aria-live="polite">
        {selection.mode === 'all' ? `All ${many} matching selected` : `${count.toLocaleString('en')} selected`}
      </span>
      {selection.mode === 'rows' && count < pageRows && (
        <button type="button" className="button button--ghost" onClick={onSelectPage}>
          Select the page
        </button>
      )}
      {offerAll && (
        <button type="button" className="button button--ghost" onClick={onSelectAll} disabled={selectingAll}>
          {matching === null ? 'Select all matching' : `Select all ${matching.toLocaleString('en')} matching`}
        </button>
      )}
      <label className="visually-hidden" htmlFor={typeId}>
        Change type
      </label>
      <select
        id={typeId}
        className="bulk-bar__type"
        value=""
        disabled={busy}
        onChange={(event) => event.target.value && setPending({ field: 'type', value: event.target.value })}
      >
        <option value="">Change type ▾</option>
        {INTERACTION_TYPES.map((type) => (
          <option key={type} value={type}>
            {type}
          </option>
        ))}
      </select>
      <button type="button" className="button" disabled={busy} onClick={() => setPending({ field: 'lead', value: '' })}>
        Change lead
      </button>
      <button type="button" className="button" disabled={busy} onClick={() => setPending({ field: 'location', value: '' })}>
        Change location
      </button>
      <button type="button" className="button button--danger" disabled={busy} onClick={() => setPending({ field: 'delete' })}>
        Delete
      </button>
      <button type="button" className="button button--ghost" onClick={onClear}>
        Clear
      </button>

      <ConfirmDialog
        open={pending?.field === 'type' || pending?.field === 'delete'}
        title={pending?.field === 'delete' ? `Delete ${many}?` : `Change the type of ${many}?`}
        confirmLabel={pending?.field === 'delete' ? `Delete ${many}` : `Change ${many}`}
        onConfirm={run}
        onCancel={() => setPending(null)}
      >
        {pending?.field === 'delete' ? (
          <p>{many} will move to Recently deleted. You can undo it from the report that follows.</p>
        ) : (
          <p>
            {many} will become “{pending?.field === 'type' ? pending.value : ''}”. Records someone else changed since you
            selected them are left as they are, and listed.
          </p>
        )}
      </ConfirmDialog>
      {(pending?.field === 'lead' || pending?.field === 'location') && (
        <TextChange field={pending.field} count={count} onCancel={() => setPending(null)} onSubmit={(value) => setPending({ field: pending.field, value })} onConfirmed={run} value={pending.value} />
      )}
    </div>
  );
}

interface TextChangeProps {
  field: 'lead' | 'location';
  count: number;
  value: string;
  onSubmit: (value: string) => void;
  onConfirmed: () => void;
  onCancel: () => void;
}

/** The new lead or location, asked in a dialog that also says how many records will change. */
function TextChange({ field, count, value, onSubmit, onConfirmed, onCancel }: TextChangeProps) {
  const inputId = useId();
  const label = TEXT_LABELS[field];
  const invalid = field === 'lead' && value.trim() === '';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!invalid) onConfirmed();
  };
  return (
    <Dialog
      open
      title={`Change the ${label} of ${records(count)}`}
      onCancel={onCancel}
      actions={
        <>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" form={`${inputId}-form`} className="button button--primary" disabled={invalid}>
            Change {records(count)}
          </button>
        </>
      }
    >
      <form id={`${inputId}-form`} onSubmit={submit}>
        <label htmlFor={inputId}>New {label}</label>
        <input
          id={inputId}
          data-autofocus
          value={value}
          maxLength={LIMITS[field]}
          onChange={(event) => onSubmit(event.target.value)}
          required={field === 'lead'}
        />
        <p className="hint">{field === 'location' ? 'Leave it empty to clear the location.' : 'Records someone else changed since you selected them are left as they are.'}</p>
      </form>
    </Dialog>
  );
}
