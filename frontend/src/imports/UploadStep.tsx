// Step 1: a spreadsheet chosen with the file picker or dropped on the zone, uploaded at once; the server's answer
// (columns, detected mapping) opens the mapping step at /imports/:id.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type DragEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { describeError, isApiError } from '../api/client';
import { IMPORT_ACCEPT, IMPORT_MAX_BYTES, STORAGE_FULL, importKeys, uploadImport } from '../api/imports';
import { Spinner } from '../components/Spinner';
import { useSite } from '../session/SiteContext';
import { formatBytes } from './format';

const EXTENSIONS = IMPORT_ACCEPT.split(',');

/** Why the file cannot be imported, before it is sent; null when it may go. */
export function fileProblem(file: File): string | null {
  const name = file.name.toLowerCase();
  if (!EXTENSIONS.some((ext) => name.endsWith(ext))) {
    return `“${file.name}” is not a file the import reads. Choose a CSV, TSV, TXT or Excel (.xlsx) file.`;
  }
  if (file.size === 0) return `“${file.name}” is empty.`;
  if (file.size > IMPORT_MAX_BYTES) {
    return `“${file.name}” is ${formatBytes(file.size)}; the import takes files up to ${formatBytes(IMPORT_MAX_BYTES)}. Split it and import the parts.`;
  }
  return null;
}

export function UploadStep({ headingId }: { headingId?: string }) {
  const { site } = useSite();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const inputId = useId();
  const hintId = useId();
  const [problem, setProblem] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const upload = useMutation({
    mutationFn: (file: File) => uploadImport(file),
    onSuccess: (imp) => {
      queryClient.setQueryData(importKeys.detail(site.id, imp.id), imp);
      void queryClient.invalidateQueries({ queryKey: importKeys.list(site.id) });
      // The next step's heading takes the focus the file picker had.
      void navigate(`/imports/${imp.id}`, { state: { focusStep: true } });
    },
  });

  const choose = (file: File | undefined) => {
    if (!file || upload.isPending) return;
    const local = fileProblem(file);
    setProblem(local);
    upload.reset();
    if (!local) upload.mutate(file);
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    choose(event.dataTransfer.files[0]);
  };
  const error = problem ?? (upload.isError ? describeError(upload.error) : null);
  // Refused for room, not for the file: the server's message says which imports to discard.
  const full = !problem && isApiError(upload.error) && upload.error.code === STORAGE_FULL;

  return (
    <section className="import-card" aria-labelledby={headingId}>
      <h2 id={headingId} className="import-card__title" tabIndex={-1}>
        Choose a file
      </h2>
      <p className="muted">
        One interaction per row, with a header row naming the columns. You match the columns to the fields next.
      </p>
      <div
        className={`drop-zone${dragging ? ' drop-zone--over' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        {upload.isPending ? (
          <p className="drop-zone__busy" role="status">
            <Spinner label="Uploading" /> Uploading {upload.variables.name}…
          </p>
        ) : (
          <>
            <p className="drop-zone__text">Drop the file here, or</p>
            <input
              id={inputId}
              type="file"
              className="visually-hidden drop-zone__input"
              accept={IMPORT_ACCEPT}
              aria-describedby={hintId}
              onChange={(event) => {
                choose(event.target.files?.[0]);
                event.target.value = '';
              }}
            />
            <label htmlFor={inputId} className="button button--primary">
              Choose a file…
            </label>
          </>
        )}
        <p id={hintId} className="field-help">
          CSV, TSV or text (comma, semicolon or tab separated) or Excel (.xlsx), up to {formatBytes(IMPORT_MAX_BYTES)}.
        </p>
      </div>
      {error && (
        <div className="notice notice--error import-error" role="alert">
          <strong>{full ? 'Your imports keep as many files as they may.' : 'The file could not be imported.'}</strong>{' '}
          {error}
        </div>
      )}
    </section>
  );
}
