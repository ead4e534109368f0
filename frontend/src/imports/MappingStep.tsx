// Step 2: each column of the file with its header and samples, and the field it fills (or "Ignore"); the sheet of a
// workbook, the zone of times written without one, and day/month order where the dates read both ways. Every
// change shows at once and is saved in the order made; the server answers with the mapping's problems, which block
// the next step.
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import type { DateOrder, Import, ImportChanges, ImportColumn } from '../api/imports';
import { metaQueries } from '../api/meta';
import { Options } from '../components/Options';
import { useSite } from '../session/SiteContext';
import { readDateBothWays } from './dateOrder';
import { ChangeNotSaved } from './SaveStatus';

/** Column indexes whose date order the person still has to choose. */
export const undecidedDateColumns = (imp: Import) =>
  imp.columns.filter((c) => c.date_order_ambiguous && c.date_order !== 'day_first' && c.date_order !== 'month_first');

/** The whole mapping with one column changed: the server gets every column's field each time. */
function mappingWith(imp: Import, index: number, field: string | null): Record<string, string | null> {
  return Object.fromEntries(imp.columns.map((c) => [String(c.index), c.index === index ? field : c.field]));
}

function dateOrdersWith(imp: Import, index: number, order: DateOrder): Record<string, DateOrder> {
  const chosen = imp.columns.flatMap((c) =>
    c.date_order === 'day_first' || c.date_order === 'month_first' ? [[String(c.index), c.date_order] as const] : [],
  );
  return { ...Object.fromEntries(chosen), [String(index)]: order };
}

const columnName = (column: ImportColumn) => column.header.trim() || `Column ${column.index + 1}`;

function DateOrderChoice({ imp, column, onChange }: { imp: Import; column: ImportColumn; onChange: (c: ImportChanges) => void }) {
  const name = useId();
  const reading = readDateBothWays(column.samples);
  const chosen = column.date_order === 'day_first' || column.date_order === 'month_first' ? column.date_order : null;
  const option = (order: DateOrder, label: string) => {
    const read = reading?.readings[order];
    return (
      <label className="check-row">
        <input
          type="radio"
          name={name}
          value={order}
          checked={chosen === order}
          required
          onChange={() => onChange({ date_orders: dateOrdersWith(imp, column.index, order) })}
        />
        <span>
          {reading ? `${label} – ` : label}
          {reading && <span className="muted">{`${reading.written} reads ${read ?? 'as no date'}`}</span>}
        </span>
      </label>
    );
  };
  return (
    <fieldset className={`date-order${chosen ? '' : ' date-order--open'}`}>
      <legend>
        How are dates written in “{columnName(column)}”? <span className="required">(required)</span>
      </legend>
      {option('day_first', 'Day first')}
      {option('month_first', 'Month first')}
    </fieldset>
  );
}

interface Props {
  /** The import with the person's changes not stored yet. */
  imp: Import;
  onChange: (changes: ImportChanges) => void;
  saving: boolean;
  /** Why the last change was refused; it stays on the screen to send again. */
  error: unknown;
  onRetry: () => void;
  headingId: string;
}

export function MappingStep({ imp, onChange, saving, error, onRetry, headingId }: Props) {
  const { site } = useSite();
  const zones = useQuery(metaQueries.timezones());
  const sheetId = useId();
  const zoneId = useId();
  const selectId = useId();
  const undecided = undecidedDateColumns(imp);
  const zoneChoices = zones.data?.includes(imp.timezone) ? zones.data : [imp.timezone, ...(zones.data ?? [])];

  return (
    <section className="import-card" aria-labelledby={headingId} aria-busy={saving}>
      <h2 id={headingId} className="import-card__title" tabIndex={-1}>
        Match the columns
      </h2>
      <p className="muted">
        {imp.filename}: {imp.columns.length} columns, {imp.counts.rows} rows. Choose the field each column fills, or
        “Ignore” to leave it out. Changes are saved as you make them.
      </p>

      <div className="import-settings">
        {imp.sheets.length > 1 && (
          <div className="field">
            <label htmlFor={sheetId}>Sheet</label>
            <select id={sheetId} value={imp.sheet ?? ''} onChange={(e) => onChange({ sheet: e.target.value })}>
              <Options values={imp.sheets} />
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor={zoneId}>Time zone of times written without one</label>
          <select id={zoneId} value={imp.timezone} onChange={(e) => onChange({ timezone: e.target.value })}>
            {zoneChoices.map((zone) => (
              <option key={zone} value={zone}>
                {zone === site.default_timezone ? `${zone} (the site’s)` : zone}
              </option>
            ))}
          </select>
        </div>
      </div>

      <div className="import-table-scroll" role="region" aria-label="Columns of the file">
        <table className="import-table import-table--mapping">
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">Sample values</th>
              <th scope="col">Field</th>
            </tr>
          </thead>
          <tbody>
            {imp.columns.map((column) => (
              <tr key={column.index}>
                <th scope="row">{columnName(column)}</th>
                <td>
                  {column.samples.length ? (
                    <ul className="samples">
                      {column.samples.map((sample, i) => (
                        <li key={i}>{sample}</li>
                      ))}
                    </ul>
                  ) : (
                    <span className="muted">(empty)</span>
                  )}
                </td>
                <td className="import-table__field">
                  <label htmlFor={`${selectId}-${column.index}`} className="visually-hidden">
                    Field for column “{columnName(column)}”
                  </label>
                  <select
                    id={`${selectId}-${column.index}`}
                    value={column.field ?? ''}
                    onChange={(e) => onChange({ mapping: mappingWith(imp, column.index, e.target.value || null) })}
                  >
                    <option value="">Ignore</option>
                    {imp.fields.map((field) => (
                      <option key={field.name} value={field.name}>
                        {field.required ? `${field.label} (required)` : field.label}
                      </option>
                    ))}
                  </select>
                  {column.date_order_ambiguous && <DateOrderChoice imp={imp} column={column} onChange={onChange} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {error != null && <ChangeNotSaved error={error} onRetry={onRetry} />}
      {(imp.problems.length > 0 || undecided.length > 0) && (
        <div className="notice notice--warning" role="status">
          <p>
            <strong>Before the preview:</strong>
          </p>
          <ul className="import-problems">
            {imp.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
            {undecided.map((column) => (
              <li key={`date-${column.index}`}>Choose how the dates in “{columnName(column)}” are written: day first or month first.</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
