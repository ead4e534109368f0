// Weekday × hour of the start in the viewer's zone, as a table: every cell shows its number (the shade only
// repeats it) and links to the Finder filtered by that weekday and hour.
import { Link } from 'react-router-dom';
import type { HourCount } from '../api/insights';
import type { FinderQuery } from '../criteria/queryState';
import { DataTable } from './DataTable';
import { finderLink } from './finderLink';

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const HOURS = Array.from({ length: 24 }, (_, h) => h);
// Text on each shade keeps at least 4.5:1: dark text on the light ones, white on the dark ones.
interface Shade {
  background: string;
  color: string;
}
const BLANK: Shade = { background: '#ffffff', color: '#1a1a1a' };
const SHADES: readonly Shade[] = [
  BLANK,
  { background: '#e3f0fb', color: '#1a1a1a' },
  { background: '#9fc8ee', color: '#1a1a1a' },
  { background: '#2f6db3', color: '#ffffff' },
  { background: '#0d3c78', color: '#ffffff' },
];

const hourLabel = (h: number) => `${String(h).padStart(2, '0')}:00`;

export function HeatMap({ cells, tz, query }: { cells: HourCount[]; tz: string; query: FinderQuery }) {
  const counts = new Map(cells.map((c) => [`${c.weekday}-${c.hour}`, c.count]));
  const max = Math.max(1, ...cells.map((c) => c.count));
  const count = (weekday: number, hour: number) => counts.get(`${weekday}-${hour}`) ?? 0;
  const shade = (n: number) => SHADES[n === 0 ? 0 : Math.min(4, Math.ceil((n / max) * 4))] ?? BLANK;
  const link = (weekday: number, hour: number) => finderLink(query, { weekday: String(weekday), hour: String(hour), tz });
  return (
    <>
      <div className="table-scroll heatmap" role="region" aria-label={`Starts by weekday and hour (${tz})`}>
        <table className="heatmap__table">
          <caption className="visually-hidden">Interactions by weekday and hour of their start, in {tz}</caption>
          <thead>
            <tr>
              <td />
              {HOURS.map((h) => (
                <th key={h} scope="col" abbr={hourLabel(h)}>
                  {String(h).padStart(2, '0')}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {DAYS.map((day, d) => (
              <tr key={day}>
                <th scope="row" abbr={day}>
                  {day.slice(0, 3)}
                </th>
                {HOURS.map((h) => {
                  const n = count(d + 1, h);
                  const colours = shade(n);
                  return (
                    <td key={h} style={colours}>
                      {n > 0 ? (
                        <Link to={link(d + 1, h)} style={{ color: colours.color }} aria-label={`${n} on ${day} at ${hourLabel(h)}`}>
                          {n}
                        </Link>
                      ) : (
                        <span className="visually-hidden">0</span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <DataTable
        caption="Interactions by weekday and hour"
        columns={['Weekday', 'Hour', 'Interactions']}
        rows={cells.map((c) => [
          { value: DAYS[c.weekday - 1] ?? '' },
          { value: hourLabel(c.hour) },
          { value: c.count, to: link(c.weekday, c.hour) },
        ])}
        filename="interactions-by-weekday-and-hour.csv"
      />
    </>
  );
}
