// Naming a view: a new one (personal or shared, optionally the default) or a new name for an existing one.
import { useId, useState, type FormEvent } from 'react';
import { Dialog } from '../../components/Dialog';
import { Field, fieldAria, fieldErrorsOf } from '../../components/Field';

export interface ViewNameChoice {
  name: string;
  shared: boolean;
  makeDefault: boolean;
}

interface Props {
  title: string;
  confirmLabel: string;
  initialName?: string;
  /** Offer "Share with the site" and "Open it by default" (saving a new view). */
  choices?: { canShare: boolean; shared: boolean };
  onSubmit: (choice: ViewNameChoice) => Promise<unknown>;
  onCancel: () => void;
}

export function ViewNameDialog({ title, confirmLabel, initialName = '', choices, onSubmit, onCancel }: Props) {
  const nameId = useId();
  const formId = useId();
  const [name, setName] = useState(initialName);
  const [shared, setShared] = useState(choices?.shared ?? false);
  const [makeDefault, setMakeDefault] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setError('Give the view a name.');
      return;
    }
    setBusy(true);
    onSubmit({ name: name.trim(), shared, makeDefault })
      .catch((e: unknown) => setError(fieldErrorsOf(e).name ?? (e instanceof Error ? e.message : 'The view was not saved.')))
      .finally(() => setBusy(false));
  };

  return (
    <Dialog
      open
      title={title}
      onCancel={onCancel}
      actions={
        <>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" form={formId} className="button button--primary" disabled={busy}>
            {confirmLabel}
          </button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} className="view-name-form" noValidate>
        <Field id={nameId} label="Name" required error={error}>
          <input
            {...fieldAria(nameId, { error, required: true })}
            data-autofocus
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="off"
          />
        </Field>
        {choices?.canShare && (
          <label className="check-row">
            <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} />
            Share with everyone in this site
          </label>
        )}
        {choices && (
          <label className="check-row">
            <input type="checkbox" checked={makeDefault} onChange={(e) => setMakeDefault(e.target.checked)} />
            Open the Finder with this view
          </label>
        )}
      </form>
    </Dialog>
  );
}
