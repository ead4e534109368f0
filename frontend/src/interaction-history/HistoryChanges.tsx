// What one version changed, field by field: from → to, only the field list's long texts as a word diff (a diff of
// "Harbor office" into "Main hall" would read "HarborMain officehall"). A page of the history
// brings long texts as excerpts around the change; "Show the whole texts" fetches the entry whole.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { describeError } from '../api/client';
import { interactionQueries } from '../api/interactions';
import { FIELD_LABELS, LONG_TEXT_FIELDS } from '../api/interactionFields';
import type { Change, HistoryEntry } from '../api/types';
import { formatInZone } from '../lib/datetime';
import { TextDiff } from './TextDiff';

const LONG_TEXT = new Set<string>(LONG_TEXT_FIELDS);

function show(field: string, value: unknown, zone: string): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  if (field.endsWith('_datetime') && typeof value === 'string') return formatInZone(value, zone);
  return String(value);
}

/** Whether an excerpt leaves text out before or after it. */
function cuts(change: Change) {
  const offset = change.offset ?? 0;
  const after = (text: unknown, length?: number) => typeof text === 'string' && offset + text.length < (length ?? 0);
  return {
    before: change.truncated && offset > 0,
    after: change.truncated && (after(change.from, change.from_length) || after(change.to, change.to_length)),
  };
}

function ChangeRow({ field, change, zone }: { field: string; change: Change; zone: string }) {
  const label = FIELD_LABELS[field as keyof typeof FIELD_LABELS] ?? field;
  const cut = cuts(change);
  return (
    <>
      <dt>{label}</dt>
      <dd>
        {LONG_TEXT.has(field) && typeof change.from === 'string' && typeof change.to === 'string' ? (
          <>
            {cut.before && <span aria-label="text before the excerpt left out">… </span>}
            <TextDiff from={change.from} to={change.to} />
            {cut.after && <span aria-label="text after the excerpt left out"> …</span>}
          </>
        ) : (
          <>
            <del className="diff-del">{show(field, change.from, zone)}</del> → <ins className="diff-ins">{show(field, change.to, zone)}</ins>
          </>
        )}
      </dd>
    </>
  );
}

interface Props {
  siteId: number;
  interactionId: number;
  entry: HistoryEntry;
  zone: string;
}

export function HistoryChanges({ siteId, interactionId, entry, zone }: Props) {
  const [whole, setWhole] = useState(false);
  const excerpted = entry.id !== null && Object.values(entry.changes).some((change) => change.truncated);
  const full = useQuery({ ...interactionQueries.historyEntry(siteId, interactionId, entry.id ?? 0), enabled: whole && excerpted });
  const changes = whole && full.data ? full.data.changes : entry.changes;
  if (Object.keys(changes).length === 0) return null;
  return (
    <>
      <dl className="history__changes">
        {Object.entries(changes).map(([field, change]) => (
          <ChangeRow key={field} field={field} change={change} zone={zone} />
        ))}
      </dl>
      {full.isError && (
        <p className="notice notice--error" role="alert">
          The whole texts could not be loaded: {describeError(full.error)}
        </p>
      )}
      {excerpted && (
        <button type="button" className="button button--small button--ghost" aria-expanded={whole && !!full.data}
          disabled={whole && full.isFetching} onClick={() => (whole && full.isError ? void full.refetch() : setWhole(!whole))}>
          {whole && full.isFetching
            ? 'Loading the whole texts…'
            : whole && full.isError
              ? 'Try the whole texts again'
              : whole && full.data
                ? 'Show excerpts'
                : 'Show the whole texts'}
        </button>
      )}
    </>
  );
}
