// The Interaction form: every field with inline validation, save / save & new / cancel / delete, conflicts, read-only mode.
import { useEffect, useState } from 'react';
import { Controller, useForm, useWatch, type Resolver } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Link, useNavigate } from 'react-router-dom';
import { DateTime } from 'luxon';
import { describeError, isApiError, type ApiError } from '../api/client';
import { INTERACTION_TYPES, type Interaction } from '../api/types';
import { Dialog } from '../components/Dialog';
import { Field, fieldAria } from '../components/Field';
import { useToast } from '../components/Toaster';
import { finderPath } from '../finder/useFinderQuery';
import { useSite } from '../layout/SiteContext';
import { useSession } from '../auth/SessionContext';
import { describeInBrowserZone, formatLocal } from '../lib/datetime';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { ConflictDialog } from './ConflictDialog';
import { useCreateInteraction, useDeleteInteraction, useUpdateInteraction } from './mutations';
import {
  FIELD_NAMES,
  LIMITS,
  emptyValues,
  interactionSchema,
  toInput,
  valuesFromInteraction,
  type InteractionFormOutput,
  type InteractionFormValues,
} from './schema';
import { TimezonePicker } from './TimezonePicker';
import { useUnsavedChangesGuard } from './useUnsavedChangesGuard';
import { draftKey, useDraft } from './useDraft';

type AfterSave = 'close' | 'new';
const resolver = zodResolver(interactionSchema) as unknown as Resolver<InteractionFormValues, unknown, InteractionFormOutput>;
const isField = (f: string): f is (typeof FIELD_NAMES)[number] => (FIELD_NAMES as readonly string[]).includes(f);

interface Props {
  item: Interaction | null;
  timezones: readonly string[];
  defaultTimezone: string;
}

export function InteractionForm({ item, timezones, defaultTimezone }: Props) {
  const { site, canWrite } = useSite();
  const { user } = useSession();
  const navigate = useNavigate();
  const toast = useToast();
  const [version, setVersion] = useState(item?.version ?? 0);
  const [conflict, setConflict] = useState<Interaction | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const create = useCreateInteraction(site.id);
  const update = useUpdateInteraction(site.id);
  const remove = useDeleteInteraction(site.id, toast);

  const [initial] = useState(() => (item ? valuesFromInteraction(item) : emptyValues(defaultTimezone)));
  const form = useForm<InteractionFormValues, unknown, InteractionFormOutput>({
    resolver,
    mode: 'onTouched',
    defaultValues: initial,
  });
  const { register, control, handleSubmit, formState, setError, reset, getValues, setValue, setFocus } = form;
  const { errors, isDirty, isSubmitting } = formState;
  const allValues = useWatch({ control }) as InteractionFormValues;
  const draft = useDraft({
    key: draftKey(user?.id ?? 0, site.id, item?.id ?? null),
    initial,
    values: allValues,
    dirty: isDirty,
    version: item ? version : null,
    enabled: canWrite && user !== null,
  });
  const guard = useUnsavedChangesGuard(isDirty && canWrite, draft.clear);
  const [title = '', description = '', notes = '', timezone = '', start = '', end = ''] = useWatch({
    control,
    name: ['title', 'description', 'notes', 'timezone', 'start_datetime', 'end_datetime'],
  });

  useEffect(() => {
    if (!item && canWrite) setFocus('title');
  }, [item, canWrite, setFocus]);

  const applyServerErrors = (error: ApiError) => {
    const unplaced: string[] = [];
    let focused = false;
    for (const [field, messages] of Object.entries(error.fieldErrors)) {
      if (isField(field)) {
        setError(field, { type: 'server', message: messages.join(' ') }, { shouldFocus: !focused });
        focused = true;
      } else unplaced.push(...messages);
    }
    setFormError(unplaced.length || !focused ? `${error.message} ${unplaced.join(' ')}`.trim() : null);
  };

  const finish = (saved: Interaction, after: AfterSave, created: boolean) => {
    draft.clear();
    toast(`${created ? 'Created' : 'Saved'} “${saved.title}”`);
    guard.allowNavigation();
    if (after === 'new') navigate('/interactions/new', { state: { timezone: saved.timezone } });
    else navigate(finderPath());
  };

  const save = async (values: InteractionFormOutput, after: AfterSave, overwriteVersion?: number) => {
    setFormError(null);
    const input = toInput(values);
    try {
      if (item) {
        const saved = await update.mutateAsync({ id: item.id, input, version: overwriteVersion ?? version });
        setVersion(saved.version);
        setConflict(null);
        finish(saved, after, false);
      } else {
        finish(await create.mutateAsync(input), after, true);
      }
    } catch (error) {
      if (!isApiError(error)) throw error;
      if (error.code === 'version_conflict') {
        const current = (error.details as { current?: Interaction } | null)?.current;
        if (current) setConflict(current);
        else setFormError('Someone else changed this interaction. Reload the page to see their version.');
      } else if (error.code === 'validation_error') applyServerErrors(error);
      else if (error.status === 404) setFormError('This interaction no longer exists: someone deleted it. Your changes cannot be saved.');
      else if (error.status === 403) setFormError('You do not have permission to change interactions at this site.');
      else setFormError(describeError(error));
    }
  };

  const submit = (after: AfterSave) => handleSubmit((values) => save(values, after));

  const reloadTheirs = () => {
    if (!conflict) return;
    reset(valuesFromInteraction(conflict));
    setVersion(conflict.version);
    setConflict(null);
    toast('Loaded the latest saved version', 'info');
  };

  const overwrite = async () => {
    if (!conflict) return;
    const parsed = interactionSchema.safeParse(getValues());
    if (parsed.success) await save(parsed.data, 'close', conflict.version);
  };

  const confirmRemoval = () => {
    if (!item) return;
    setConfirmDelete(false);
    draft.clear();
    guard.allowNavigation();
    remove.mutate(item);
    navigate(finderPath());
  };

  const restoreDraft = () => {
    const taken = draft.take();
    if (!taken) return;
    // Against the values the form opened with, so the restored edits count as unsaved changes.
    reset({ ...initial, ...taken.values }, { keepDefaultValues: true });
    if (item && taken.version !== null) setVersion(taken.version);
    setFocus('title');
  };

  // A first start fills an empty end with start + 1 hour, the common case.
  const onStartChange = (value: string) => {
    if (value && !getValues('end_datetime')) {
      const plusHour = DateTime.fromISO(value).plus({ hours: 1 });
      if (plusHour.isValid) setValue('end_datetime', plusHour.toFormat("yyyy-LL-dd'T'HH:mm"), { shouldDirty: true });
    }
  };

  const busy = isSubmitting || create.isPending || update.isPending;
  const heading = !item ? 'New interaction' : canWrite ? 'Edit interaction' : 'Interaction';
  useDocumentTitle(item ? item.title : heading);
  const startHint = describeInBrowserZone(start, timezone);
  const endHint = describeInBrowserZone(end, timezone);

  return (
    <div className="form-page">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link to={finderPath()}>← Interactions</Link>
      </nav>
      <div className="page-head">
        <div>
          <h1 className="page-title">{heading}</h1>
          <p className="page-subtitle">{site.name}</p>
        </div>
      </div>
      {!canWrite && (
        <p className="notice notice--info" role="note">
          You have view-only access at {site.name}, so this interaction cannot be changed here.
        </p>
      )}
      {formError && (
        <p className="notice notice--error" role="alert">
          {formError}
        </p>
      )}
      {draft.offered && (
        <section className="notice notice--info draft-offer" aria-label="Unsaved draft">
          <p>
            You have a draft of {item ? 'changes to this interaction' : 'a new interaction'} from{' '}
            {formatLocal(draft.offered.savedAt)} that was never saved.
          </p>
          <div className="draft-offer__actions">
            <button type="button" className="button button--primary" onClick={restoreDraft}>
              Restore draft
            </button>
            <button type="button" className="button" onClick={draft.discard}>
              Discard
            </button>
          </div>
        </section>
      )}
      <form className="interaction-form panel" noValidate onSubmit={submit('close')} aria-busy={busy}>
        <p className="form-legend">
          Fields marked <span className="required">*</span> are required.
        </p>
        {/* Not disabled while saving: focus must be able to move to a field the server rejected. */}
        <fieldset disabled={!canWrite} className="form-grid">
          <legend className="visually-hidden">Interaction details</legend>
          <Field id="f-title" label="Title" required error={errors.title?.message} counter={{ length: title.length, max: LIMITS.title }} className="span-2" help="A short name people will search for.">
            <input type="text" {...fieldAria('f-title', { help: true, error: errors.title?.message, required: true })} {...register('title')} />
          </Field>
          <Field id="f-type" label="Type" required error={errors.type?.message}>
            <select {...fieldAria('f-type', { error: errors.type?.message, required: true })} {...register('type')}>
              <option value="">Choose a type…</option>
              {INTERACTION_TYPES.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </Field>
          <Field id="f-lead" label="Lead" required error={errors.lead?.message} help="The person responsible for it.">
            <input type="text" autoComplete="name" {...fieldAria('f-lead', { help: true, error: errors.lead?.message, required: true })} {...register('lead')} />
          </Field>
          <Field id="f-timezone" label="Time zone" required error={errors.timezone?.message} className="span-2" help="Start and end are entered and shown in this time zone.">
            <Controller
              control={control}
              name="timezone"
              render={({ field }) => (
                <TimezonePicker
                  ref={field.ref}
                  id="f-timezone"
                  value={field.value}
                  options={timezones}
                  onChange={field.onChange}
                  onBlur={field.onBlur}
                  disabled={!canWrite}
                  invalid={Boolean(errors.timezone)}
                  required
                  describedBy={[errors.timezone ? 'f-timezone-error' : '', 'f-timezone-help'].filter(Boolean).join(' ')}
                />
              )}
            />
          </Field>
          <Field id="f-start" label="Start" required error={errors.start_datetime?.message} help={startHint ?? `In ${timezone || 'the chosen time zone'}.`}>
            <input
              type="datetime-local"
              {...fieldAria('f-start', { help: true, error: errors.start_datetime?.message, required: true })}
              {...register('start_datetime', { onChange: (e: { target: HTMLInputElement }) => onStartChange(e.target.value) })}
            />
          </Field>
          <Field id="f-end" label="End" required error={errors.end_datetime?.message} help={endHint ?? 'The same as or after the start.'}>
            <input type="datetime-local" min={start || undefined} {...fieldAria('f-end', { help: true, error: errors.end_datetime?.message, required: true })} {...register('end_datetime', { deps: ['start_datetime'] })} />
          </Field>
          <Field id="f-location" label="Location" error={errors.location?.message} className="span-2" help="An address, a room, or “Online”.">
            <input type="text" {...fieldAria('f-location', { help: true, error: errors.location?.message })} {...register('location')} />
          </Field>
          <Field id="f-description" label="Description" error={errors.description?.message} counter={{ length: description.length, max: LIMITS.description }} className="span-2">
            <textarea rows={4} {...fieldAria('f-description', { error: errors.description?.message })} {...register('description')} />
          </Field>
          <Field id="f-notes" label="Notes" error={errors.notes?.message} counter={{ length: notes.length, max: LIMITS.notes }} className="span-2" help="Outcomes and follow-ups. Searchable in the Finder.">
            <textarea rows={5} {...fieldAria('f-notes', { help: true, error: errors.notes?.message })} {...register('notes')} />
          </Field>
        </fieldset>
        {item && (
          <p className="audit muted">
            Created {item.created_by ? `by ${item.created_by.display_name} ` : ''}on {formatLocal(item.created_at)}
            {item.updated_at !== item.created_at && (
              <>
                {' '}· last changed {item.updated_by ? `by ${item.updated_by.display_name} ` : ''}on {formatLocal(item.updated_at)}
              </>
            )}
            {' '}· <Link to={`/interactions/${item.id}/history`}>History</Link>
          </p>
        )}
        <div className="form-actions">
          {canWrite ? (
            <>
              <button type="submit" className="button button--primary" disabled={busy}>
                {busy ? 'Saving…' : 'Save'}
              </button>
              <button type="button" className="button" disabled={busy} onClick={() => void submit('new')()}>
                Save &amp; New
              </button>
              <button type="button" className="button button--ghost" onClick={() => navigate(finderPath())}>
                Cancel
              </button>
              {item && (
                <button type="button" className="button button--danger form-actions__delete" disabled={busy} onClick={() => setConfirmDelete(true)}>
                  Delete
                </button>
              )}
            </>
          ) : (
            <Link to={finderPath()} className="button">
              Back to the list
            </Link>
          )}
        </div>
      </form>

      <Dialog
        open={confirmDelete}
        title="Delete this interaction?"
        tone="danger"
        onCancel={() => setConfirmDelete(false)}
        actions={
          <>
            <button type="button" className="button" data-autofocus onClick={() => setConfirmDelete(false)}>
              Cancel
            </button>
            <button type="button" className="button button--danger" onClick={confirmRemoval}>
              Delete
            </button>
          </>
        }
      >
        <p>
          “{item?.title}” will be removed from {site.name} for everyone. You can undo this right after, and
          administrators can restore it for 30 days.
        </p>
      </Dialog>
      <ConflictDialog
        current={conflict}
        viewerId={user?.id ?? null}
        mine={getValues()}
        busy={update.isPending}
        onReload={reloadTheirs}
        onOverwrite={() => void overwrite()}
        onCancel={() => setConflict(null)}
      />
      {guard.dialog}
    </div>
  );
}
