// The import of a spreadsheet into the current site, for editors and admins: /imports chooses a file and lists the
// recent imports; /imports/:id walks one import through its columns, preview, run and report. The URL holds the
// import, so a person may leave during the run and come back.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { describeError, isApiError } from '../api/client';
import { importQueries, type Import } from '../api/imports';
import { interactionKeys } from '../api/interactions';
import { PageHead } from '../components/PageHead';
import { Spinner } from '../components/Spinner';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { useSite } from '../session/SiteContext';
import { DiscardImport } from './DiscardImport';
import { ImportReport } from './ImportReport';
import { MappingStep, undecidedDateColumns } from './MappingStep';
import { PreviewStep } from './PreviewStep';
import { RecentImports } from './RecentImports';
import { RunProgress } from './RunProgress';
import { UploadStep } from './UploadStep';
import { ChangeNotSaved, SaveStatus } from './SaveStatus';
import { useImportActions, withChanges } from './useImportActions';
import './imports.css';

const STEPS = ['Choose a file', 'Match the columns', 'Check the rows', 'Import', 'Report'] as const;

function Steps({ current }: { current: number }) {
  return (
    <ol className="import-steps" aria-label="Steps of the import">
      {STEPS.map((step, i) => (
        <li key={step} aria-current={i === current ? 'step' : undefined} className={i < current ? 'is-done' : undefined}>
          <span className="import-steps__number">{i + 1}</span> {step}
        </li>
      ))}
    </ol>
  );
}

/**
 * Moves focus to the step's heading when the step changes, and on the first showing when another step led here (an
 * upload to the columns, a discard back to the first step; not when the page is opened from a link or reloaded).
 */
function useFocusOnStep(step: string, headingId: string) {
  const fromUpload = (useLocation().state as { focusStep?: boolean } | null)?.focusStep === true;
  const first = useRef(true);
  useEffect(() => {
    const initial = first.current;
    first.current = false;
    if (!initial || fromUpload) document.getElementById(headingId)?.focus();
  }, [step, headingId, fromUpload]);
}

function Landing() {
  const uploadHeading = useId();
  const recentHeading = useId();
  useFocusOnStep('upload', uploadHeading);
  return (
    <>
      <Steps current={0} />
      <UploadStep headingId={uploadHeading} />
      <RecentImports headingId={recentHeading} />
    </>
  );
}

function ImportSteps({ imp: stored }: { imp: Import }) {
  const headingId = useId();
  const [previewing, setPreviewing] = useState(false);
  const { changes, run, undo } = useImportActions(stored.id);
  const navigate = useNavigate();
  // The person's latest choices at once; the preview and the run wait until they are stored.
  const imp = withChanges(stored, changes.unsaved);
  const unsaved = changes.unsaved !== null;
  const blocked = imp.problems.length > 0 || undecidedDateColumns(imp).length > 0;
  const step = imp.status === 'mapping' ? (previewing && !blocked ? 'preview' : 'mapping') : imp.status === 'running' ? 'run' : 'report';
  useFocusOnStep(step, headingId);
  const onChange = changes.submit;

  return (
    <>
      <Steps current={{ mapping: 1, preview: 2, run: 3, report: 4 }[step]} />
      {step === 'mapping' && (
        <>
          <MappingStep
            imp={imp}
            onChange={onChange}
            saving={changes.state === 'saving'}
            error={changes.error}
            onRetry={changes.retry}
            headingId={headingId}
          />
          <div className="import-actions import-actions--end">
            <SaveStatus state={changes.state} />
            {imp.can_discard && (
              <DiscardImport imp={imp} onDiscarded={() => void navigate('/imports', { state: { focusStep: true } })} />
            )}
            <Link to="/imports" className="button">
              Choose another file
            </Link>
            <button type="button" className="button button--primary" disabled={blocked || unsaved} onClick={() => setPreviewing(true)}>
              Continue to the preview
            </button>
          </div>
        </>
      )}
      {step === 'preview' && (
        <>
          <PreviewStep imp={imp} onChange={onChange} headingId={headingId} />
          {changes.error != null && <ChangeNotSaved error={changes.error} onRetry={changes.retry} />}
          {run.isError && (
            <div className="notice notice--error" role="alert">
              {describeError(run.error)}
            </div>
          )}
          <div className="import-actions import-actions--end">
            <SaveStatus state={changes.state} />
            <button type="button" className="button" onClick={() => setPreviewing(false)}>
              Back to the columns
            </button>
            <button
              type="button"
              className="button button--primary"
              disabled={run.isPending || unsaved || imp.counts.valid === 0}
              onClick={() => run.mutate()}
            >
              {run.isPending ? 'Starting…' : 'Start the import'}
            </button>
          </div>
        </>
      )}
      {step === 'run' && <RunProgress imp={imp} headingId={headingId} />}
      {step === 'report' && <ImportReport imp={imp} run={run} undo={undo} headingId={headingId} />}
    </>
  );
}

function OneImport({ id }: { id: number }) {
  const { site } = useSite();
  const queryClient = useQueryClient();
  const query = useQuery(importQueries.detail(site.id, id));
  const status = query.data?.status;
  // The run's records reach the Finder when it ends.
  const wasRunning = useRef(false);
  useEffect(() => {
    if (status === 'running') wasRunning.current = true;
    else if (wasRunning.current && status) {
      wasRunning.current = false;
      void queryClient.invalidateQueries({ queryKey: interactionKeys.all(site.id) });
    }
  }, [status, queryClient, site.id]);

  if (query.isPending) {
    return (
      <p className="muted import-loading">
        <Spinner label="Loading the import" /> Loading the import…
      </p>
    );
  }
  if (query.isError) {
    const missing = isApiError(query.error) && query.error.status === 404;
    return (
      <div className="empty-state">
        <h2>{missing ? 'Import not found' : 'The import could not be loaded'}</h2>
        <p>{missing ? `There is no such import in ${site.name}.` : describeError(query.error)}</p>
        <div className="empty-state__actions">
          {!missing && (
            <button type="button" className="button" onClick={() => void query.refetch()}>
              Try again
            </button>
          )}
          <Link to="/imports" className="button button--primary">
            Start an import
          </Link>
        </div>
      </div>
    );
  }
  return <ImportSteps imp={query.data} />;
}

export function ImportPage() {
  const { id } = useParams();
  const { site, canWrite } = useSite();
  useDocumentTitle(`Import – ${site.name}`);
  const importId = id === undefined ? null : Number(id);

  return (
    <div className="import-page">
      <PageHead title="Import interactions" subtitle={site.name}>
        <Link to="/interactions" className="button">
          Back to the Finder
        </Link>
      </PageHead>
      {!canWrite ? (
        <div className="notice notice--info">Only editors and admins of {site.name} can import interactions.</div>
      ) : importId === null ? (
        <Landing />
      ) : Number.isInteger(importId) && importId > 0 ? (
        <OneImport key={`${site.id}-${importId}`} id={importId} />
      ) : (
        <div className="notice notice--error">This is not an import’s address.</div>
      )}
    </div>
  );
}
