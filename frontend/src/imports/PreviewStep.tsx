// Step 3: the rows as they will be stored, invalid cells marked with their message, a filter for the invalid rows or
// the duplicates, paging, and what to do with rows that match an existing record.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { describeError } from '../api/client';
import { importQueries, type DuplicateChoice, type Import, type ImportChanges, type PreviewFilter, type PreviewRow } from '../api/imports';
import { Pager } from '../components/Pager';
import { Spinner } from '../components/Spinner';
import { useSite } from '../session/SiteContext';
import { formatCount, plural } from './format';

const PAGE_SIZE = 25;

const FILTERS: readonly (readonly [PreviewFilter, string])[] = [
  ['all', 'All rows'],
  ['invalid', 'Only invalid rows'],
  ['duplicate', 'Only duplicates'],
];

function Cell({ row, field, idPrefix }: { row: PreviewRow; field: string; idPrefix: string }) {
  const value = row.values[field];
  const errors = row.errors[field] ?? [];
  const errorId = `${idPrefix}-${row.row}-${field}`;
  const shown = value === null || value === undefined || value === '' ? <span className="muted">—</span> : value;
  if (errors.length === 0) return <td>{shown}</td>;
  return (
    <td className="cell--invalid" aria-invalid="true" aria-describedby={errorId}>
      {shown}
      <span id={errorId} className="field-error cell-error">
        {errors.join(' ')}
      </span>
    </td>
  );
}

interface Props {
  imp: Import;
  onChange: (changes: ImportChanges) => void;
  headingId: string;
}

export function PreviewStep({ imp, onChange, headingId }: Props) {
  const { site } = useSite();
  const [only, setOnly] = useState<PreviewFilter>('all');
  const [page, setPage] = useState(1);
  const filterId = useId();
  const cellIds = useId();
  const duplicatesName = useId();
  const preview = useQuery({
    ...importQueries.preview(site.id, imp.id, { page, page_size: PAGE_SIZE, only }),
    placeholderData: keepPreviousData,
  });
  const counts = preview.data?.counts ?? imp.counts;
  // Only the mapped fields, in the order the fields come, plus any the server reports an error for.
  const mapped = new Set(imp.columns.flatMap((c) => (c.field ? [c.field] : [])));
  const withErrors = new Set(preview.data?.items.flatMap((r) => Object.keys(r.errors)) ?? []);
  const fields = imp.fields.filter((f) => mapped.has(f.name) || withErrors.has(f.name));
  const items = preview.data?.items ?? [];
  const total = preview.data?.total ?? 0;

  return (
    <section className="import-card" aria-labelledby={headingId}>
      <h2 id={headingId} className="import-card__title" tabIndex={-1}>
        Check the rows
      </h2>
      <dl className="import-counts">
        <div>
          <dt>Valid</dt>
          <dd>{formatCount(counts.valid)}</dd>
        </div>
        <div className={counts.invalid ? 'import-counts--bad' : undefined}>
          <dt>Invalid</dt>
          <dd>{formatCount(counts.invalid)}</dd>
        </div>
        <div>
          <dt>Duplicates</dt>
          <dd>{formatCount(counts.duplicate)}</dd>
        </div>
      </dl>
      <p className="muted">
        Invalid rows are not imported; after the import you can download them with the reason, correct them and import
        them again. Duplicates match a record already in {site.name}.
      </p>

      <fieldset className="import-duplicates">
        <legend>Rows that match an existing record</legend>
        {(
          [
            ['skip', 'Skip duplicates'],
            ['import', 'Import them too'],
          ] as const
        ).map(([value, label]) => (
          <label key={value} className="check-row">
            <input
              type="radio"
              name={duplicatesName}
              value={value}
              checked={imp.duplicates === value}
              onChange={() => onChange({ duplicates: value as DuplicateChoice })}
            />
            {label}
          </label>
        ))}
      </fieldset>

      <div className="field field--inline import-filter">
        <label htmlFor={filterId}>Show</label>
        <select
          id={filterId}
          value={only}
          onChange={(e) => {
            setOnly(e.target.value as PreviewFilter);
            setPage(1);
          }}
        >
          {FILTERS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        {preview.isFetching && <Spinner label="Loading rows" />}
      </div>

      {preview.isError ? (
        <div className="notice notice--error" role="alert">
          The preview could not be loaded: {describeError(preview.error)}{' '}
          <button type="button" className="link-button" onClick={() => void preview.refetch()}>
            Try again
          </button>
        </div>
      ) : preview.isPending ? (
        <p className="muted">Reading the rows…</p>
      ) : items.length === 0 ? (
        <p className="import-empty">{only === 'invalid' ? 'No invalid rows.' : only === 'duplicate' ? 'No duplicates.' : 'The file has no rows.'}</p>
      ) : (
        <>
          {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrolling table of text: the keyboard scrolls it once focused */}
          <div className="import-table-scroll" role="region" aria-label="Preview of the rows" tabIndex={0}>
            <table className="import-table" aria-busy={preview.isPlaceholderData}>
              <caption className="visually-hidden">The rows as they will be stored; invalid values are marked.</caption>
              <thead>
                <tr>
                  <th scope="col">Row</th>
                  {fields.map((field) => (
                    <th scope="col" key={field.name}>
                      {field.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {items.map((row) => (
                  <tr key={row.row}>
                    <th scope="row" className="nowrap">
                      {row.row}{row.duplicate && ' '}
                      {row.duplicate && <span className="badge badge--duplicate">Duplicate</span>}
                    </th>
                    {fields.map((field) => (
                      <Cell key={field.name} row={row} field={field.name} idPrefix={cellIds} />
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            label="Preview pages"
            page={page}
            pageSize={PAGE_SIZE}
            total={total}
            pages={Math.ceil(total / PAGE_SIZE)}
            shown={items.length}
            onPage={setPage}
          />
        </>
      )}
      <p className="muted">{plural(counts.rows, 'row')} in the file.</p>
    </section>
  );
}
