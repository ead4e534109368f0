// How a date such as 03/04/2026 reads day first and month first, for the choice an ambiguous date column needs.
import type { DateOrder } from '../api/imports';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const NUMERIC_DATE = /(?<!\d)(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})(?!\d)/;

function spell(day: number, month: number, year: number): string | null {
  const fullYear = year < 100 ? 2000 + year : year;
  const date = new Date(Date.UTC(fullYear, month - 1, day));
  if (month < 1 || month > 12 || date.getUTCDate() !== day) return null;
  return `${day} ${MONTHS[month - 1]} ${fullYear}`;
}

export interface DateReading {
  /** The date as written in the file. */
  written: string;
  /** Each order's reading, null where that order makes no date of it. */
  readings: Record<DateOrder, string | null>;
}

/** The first sample written as a numeric date, read both ways; null when no sample is one. */
export function readDateBothWays(samples: string[]): DateReading | null {
  for (const sample of samples) {
    const match = NUMERIC_DATE.exec(sample);
    if (!match) continue;
    const [written, a, b, y] = match as unknown as [string, string, string, string];
    return {
      written,
      readings: {
        day_first: spell(Number(a), Number(b), Number(y)),
        month_first: spell(Number(b), Number(a), Number(y)),
      },
    };
  }
  return null;
}
