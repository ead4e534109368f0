// Spreadsheet-safe CSV of a table, as the server's exports write it: UTF-8 with a byte-order mark, CRLF line
// ends, minimal quoting, and text that a spreadsheet would read as a formula kept as text.
import { saveBlob } from '../lib/saveBlob';

export type CsvCell = string | number;

const FORMULA_PREFIXES = ['=', '+', '-', '@', '\t', '\r'];

/** A leading = + - @ (or tab, CR) would make a spreadsheet evaluate the cell; a quote keeps it text. */
export const neutralise = (text: string): string => (FORMULA_PREFIXES.some((p) => text.startsWith(p)) ? `'${text}` : text);

function cell(value: CsvCell): string {
  if (typeof value === 'number') return String(value);
  const text = neutralise(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const toCsv = (header: readonly string[], rows: readonly (readonly CsvCell[])[]): string =>
  '\ufeff' + [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';

/** Saves the CSV in the browser (nothing is sent anywhere). */
export const downloadCsv = (filename: string, csv: string): void =>
  saveBlob(new Blob([csv], { type: 'text/csv;charset=utf-8' }), filename);
