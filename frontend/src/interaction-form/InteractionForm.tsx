// The Interaction form: every field with inline validation, save / save & new / cancel / delete, conflicts, drafts, read-only mode.
import { useEffect, useState } from 'react';
import { useForm, useWatch, type Resolver } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import type { Interaction } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { PageHead } from '../components/PageHead';
import { useToast } from '../components/Toaster';
import { finderPath } from '../lib/finderLink';
import { useSite } from '../session/SiteContext';
import { useSession } from '../session/SessionContext';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { ConflictDialog } from './ConflictDialog';
import { DraftOffer } from './DraftOffer';
import { AuditLine, BackToList, FormActions } from './FormFooter';
import { InteractionFields } from './InteractionFields';
import { useDeleteInteraction } from './mutations';
import { emptyValues, interactionSchema, valuesFromInteraction, type InteractionFormOutput, type InteractionFormValues } from './schema';
import { useSaveInteraction, type Saved } from './useSaveInteraction';
import { useUnsavedChangesGuard } from './useUnsavedChangesGuard';
import { draftKey, useDraft } from './useDraft';
import { useFormShortcuts } from './useFormShortcuts';

type AfterSave = 'close' | 'new';
const resolver = zodResolver(interactionSchema) as unknown as Resolver<InteractionFormValues, unknown, InteractionFormOutput>;

interface Props {
  item: Interaction | null;
  timezones: readonly string[];
  defaultTimezone: string;
}

export function InteractionForm({ item, timezones, defaultTimezone }: Props) {
  const { site, canWrite } = useSite();
  const { user } = useSession();
  const navigate = useNavigate();
  // Opened with "e" from the list: ready to type, as a new record is.
  const editRequested = (useLocation().state as { edit?: boolean } | null)?.edit === true;
  const toast = useToast();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const remove = useDeleteInteraction(site.id, toast);

  const [initial] = useState(() => (item ? valuesFromInteraction(item) : emptyValues(defaultTimezone)));
  const form = useForm<InteractionFormValues, unknown, InteractionFormOutput>({
    resolver,
    mode: 'onTouched',
    defaultValues: initial,
  });
  const { control, handleSubmit, formState, reset, getValues, setFocus } = form;
  const saving = useSaveInteraction(item, form);
  const draft = useDraft({
    key: draftKey(user?.id ?? 0, site.id, item?.id ?? null),
    initial,
    values: useWatch({ control }) as InteractionFormValues,
    dirty: formState.isDirty,
    version: item ? saving.version : null,
    enabled: canWrite && user !== null,
  });
  const guard = useUnsavedChangesGuard(formState.isDirty && canWrite, draft.clear);

  useEffect(() => {
    if ((!item || editRequested) && canWrite) setFocus('title');
  }, [item, editRequested, canWrite, setFocus]);

  const finish = (result: Saved | null, after: AfterSave) => {
    if (!result) return;
    draft.clear();
    toast(`${result.created ? 'Created' : 'Saved'} “${result.saved.title}”`);
    guard.allowNavigation();
    if (after === 'new') navigate('/interactions/new', { state: { timezone: result.saved.timezone } });
    else navigate(finderPath());
  };

  const submit = (after: AfterSave) => handleSubmit(async (values) => finish(await saving.save(values), after));

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
    if (item && taken.version !== null) saving.setVersion(taken.version);
    setFocus('title');
  };

  const busy = formState.isSubmitting || saving.busy;
  useFormShortcuts({
    canWrite,
    busy,
    save: () => void submit('close')(),
    back: () => navigate(finderPath()),
    edit: () => setFocus('title'),
  });
  const heading = !item ? 'New interaction' : canWrite ? 'Edit interaction' : 'Interaction';
  useDocumentTitle(item ? item.title : heading);

  return (
    <div className="form-page">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link to={finderPath()}>← Interactions</Link>
      </nav>
      <PageHead title={heading} subtitle={site.name} />
      {!canWrite && (
        <p className="notice notice--info" role="note">
          You have view-only access at {site.name}, so this interaction cannot be changed here.
        </p>
      )}
      {saving.formError && (
        <p className="notice notice--error" role="alert">
          {saving.formError}
        </p>
      )}
      {draft.offered && (
        <DraftOffer savedAt={draft.offered.savedAt} existing={item !== null} onRestore={restoreDraft} onDiscard={draft.discard} />
      )}
      <form className="interaction-form panel" noValidate onSubmit={submit('close')} aria-busy={busy}>
        <p className="form-legend">
          Fields marked <span className="required">*</span> are required.
        </p>
        <InteractionFields form={form} timezones={timezones} canWrite={canWrite} />
        {item && <AuditLine item={item} />}
        {canWrite ? (
          <FormActions
            busy={busy}
            onSaveAndNew={() => void submit('new')()}
            onCancel={() => navigate(finderPath())}
            onDelete={item ? () => setConfirmDelete(true) : undefined}
          />
        ) : (
          <BackToList to={finderPath()} />
        )}
      </form>

      <ConfirmDialog
        open={confirmDelete}
        title="Delete this interaction?"
        confirmLabel="Delete"
        onConfirm={confirmRemoval}
        onCancel={() => setConfirmDelete(false)}
      >
        <p>
          “{item?.title}” will be removed from {site.name} for everyone. You can undo this right after, and
          administrators can restore it for 30 days.
        </p>
      </ConfirmDialog>
      <ConflictDialog
        current={saving.conflict}
        viewerId={user?.id ?? null}
        mine={getValues()}
        busy={saving.overwriting}
        onReload={saving.reloadTheirs}
        onOverwrite={() => void saving.overwrite().then((result) => finish(result, 'close'))}
        onCancel={saving.keepEditing}
      />
      {guard.dialog}
    </div>
  );
}
