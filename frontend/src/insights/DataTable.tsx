// The numbers behind a chart: a table (shown on request) whose cells link to the Finder, and its CSV download.
import { Link } from 'react-router-dom';
import { downloadCsv, toCsv, type CsvCell } from './csv';

export interface TableCell {
  value: CsvCell;
  /** Shown instead of the value (the CSV keeps the value). */
  text?: string;
  /** The Finder showing exactly the records this number counts. */
  to?: string;
}

interface Props {
  caption: string;
  columns: readonly string[];
  rows: readonly (readonly TableCell[])[];
  filename: string;
}

export function DataTable({ caption, columns, rows, filename }: Props) {
  const download = () => downloadCsv(filename, toCsv(columns, rows.map((row) => row.map((c) => c.value))));
  return (
    <div className="insights-table">
      <details>
        <summary>Show as table</summary>
        <div className="table-scroll" role="region" aria-label={caption}>
          <table className="insights-data">
            <caption className="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, c) => {
                    const content = cell.to ? <Link to={cell.to}>{cell.text ?? cell.value}</Link> : (cell.text ?? cell.value);
                    return c === 0 ? (
                      <th key={c} scope="row">
                        {content}
                      </th>
                    ) : (
                      <td key={c}>{content}</td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
      <button type="button" className="button button--small" onClick={download}>
        Download CSV<span className="visually-hidden"> of {caption}</span>
      </button>
    </div>
  );
}
