// The site's name and the time zone new interactions start with.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { adminKeys, adminQueries, saveSiteSettings } from '../api/admin';
import { describeError, isApiError } from '../api/client';
import { metaQueries } from '../api/meta';
import type { SiteSettings } from '../api/types';
import { useSession } from '../session/SessionContext';
import { Field, fieldAria } from '../components/Field';
import { Spinner } from '../components/Spinner';
import { SubmitButton } from '../components/SubmitButton';
import { useToast } from '../components/Toaster';
import { useSite } from '../session/SiteContext';
import { useDocumentTitle } from '../lib/useDocumentTitle';

export function SiteSettingsPage() {
  const { site } = useSite();
  useDocumentTitle(`Site settings – ${site.name}`);
  const settings = useQuery(adminQueries.settings(site.id));
  if (settings.isPending) return <Spinner label="Loading the settings…" />;
  if (settings.isError) return <p className="notice notice--error" role="alert">{describeError(settings.error)}</p>;
  return <SettingsForm key={`${settings.data.name}|${settings.data.default_timezone}`} initial={settings.data} />;
}

function SettingsForm({ initial }: { initial: SiteSettings }) {
  const { refreshUser } = useSession();
  const { site } = useSite();
  const qc = useQueryClient();
  const toast = useToast();
  const zones = useQuery(metaQueries.timezones());
  const [name, setName] = useState(initial.name);
  const [zone, setZone] = useState(initial.default_timezone ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);

  const save = async () => {
    const problems: Record<string, string> = {};
    if (!name.trim()) problems.name = 'Enter a name for the site.';
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setSaving(true);
    try {
      await saveSiteSettings({ name: name.trim(), default_timezone: zone || null });
      await refreshUser();
      void qc.invalidateQueries({ queryKey: adminKeys.all(site.id) });
      toast('Site settings saved');
    } catch (error) {
      const fields = isApiError(error) ? error.fieldErrors : {};
      const nameError = fields.name?.join(' ') ?? (isApiError(error) && error.status === 409 ? error.message : undefined);
      if (nameError || fields.default_timezone) setErrors({ name: nameError ?? '', default_timezone: fields.default_timezone?.join(' ') ?? '' });
      else toast(describeError(error), 'error');
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="panel stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <Field id="site-name" label="Site name" required error={errors.name || undefined}>
        <input {...fieldAria('site-name', { error: errors.name || undefined, required: true })} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field id="site-zone" label="Default time zone" help="New interactions start in this time zone. Without one, each person’s own." error={errors.default_timezone || undefined}>
        <select {...fieldAria('site-zone', { help: true, error: errors.default_timezone || undefined })} value={zone} onChange={(e) => setZone(e.target.value)}>
          <option value="">Each person’s own time zone</option>
          {(zones.data ?? []).map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
      </Field>
      <div>
        <SubmitButton busy={saving} busyLabel="Saving…">
          Save settings
        </SubmitButton>
      </div>
    </form>
  );
}
