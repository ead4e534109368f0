// Route for /interactions/new and /interactions/:id: loads the record and the time-zone list, then shows the form.
import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useParams } from 'react-router-dom';
import { describeError, isApiError } from '../api/client';
import { interactionQueries } from '../api/interactions';
import { metaQueries } from '../api/meta';
import { finderPath } from '../lib/finderLink';
import { useSite } from '../session/SiteContext';
import { browserTimeZone } from '../lib/datetime';
import { InteractionForm } from './InteractionForm';

function localZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? ['UTC'];
}

function FormSkeleton() {
  return (
    <div className="form-page" aria-busy="true">
      <p className="visually-hidden" role="status">
        Loading the interaction…
      </p>
      <div className="skeleton skeleton--title" />
      <div className="panel form-skeleton">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="skeleton skeleton--field" />
        ))}
      </div>
    </div>
  );
}

function Problem({ title, message }: { title: string; message: string }) {
  return (
    <div className="form-page">
      <div className="empty-state" role="alert">
        <h1 className="page-title">{title}</h1>
        <p>{message}</p>
        <Link to={finderPath()} className="button button--primary">
          Back to the list
        </Link>
      </div>
    </div>
  );
}

export function InteractionFormPage() {
  const { id: rawId } = useParams();
  const location = useLocation();
  const { site, canWrite } = useSite();
  const id = rawId === undefined ? null : Number(rawId);
  const validId = id !== null && Number.isInteger(id) && id > 0;

  const zones = useQuery({ ...metaQueries.timezones(), retry: 1 });
  const record = useQuery({
    ...interactionQueries.detail(site.id, validId ? id : 0),
    enabled: validId,
    // The form works on one loaded version; background refetches must not reset what the user is typing.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    retry: (count, error) => !(isApiError(error) && error.status < 500) && count < 2,
  });

  if (id === null && !canWrite) {
    return <Problem title="View-only access" message={`You can look at interactions at ${site.name} but not add them.`} />;
  }
  if (id !== null && !validId) {
    return <Problem title="Interaction not found" message="That address does not point to an interaction." />;
  }
  if (record.isError) {
    const notFound = isApiError(record.error) && record.error.status === 404;
    return notFound ? (
      <Problem title="Interaction not found" message={`There is no such interaction at ${site.name}. It may have been deleted, or it belongs to another site.`} />
    ) : (
      <Problem title="The interaction could not be loaded" message={describeError(record.error)} />
    );
  }
  if ((validId && !record.data) || zones.isPending) return <FormSkeleton />;

  const timezones = zones.data?.length ? zones.data : localZones();
  const requested = (location.state as { timezone?: string } | null)?.timezone;
  const browser = browserTimeZone();
  const siteZone = site.default_timezone ?? '';
  const defaultTimezone =
    requested && timezones.includes(requested)
      ? requested
      : timezones.includes(siteZone)
        ? siteZone
        : timezones.includes(browser)
          ? browser
          : 'UTC';

  return (
    <InteractionForm
      key={`${site.id}-${record.data?.id ?? 'new'}`}
      item={record.data ?? null}
      timezones={timezones}
      defaultTimezone={defaultTimezone}
    />
  );
}
