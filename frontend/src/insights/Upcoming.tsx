// The next 7 days' interactions: each opens its form; the whole week opens in the Finder.
import { Link } from 'react-router-dom';
import type { Insights } from '../api/insights';
import type { FinderQuery } from '../criteria/queryState';
import { formatInZone } from '../lib/datetime';
import { DataTable } from './DataTable';
import { finderLink } from './finderLink';

export function Upcoming({ upcoming, tz, query }: { upcoming: Insights['upcoming']; tz: string; query: FinderQuery }) {
  if (!upcoming.items.length) return <p className="muted">Nothing starts in the next 7 days.</p>;
  const all = finderLink(query, { start_from: upcoming.start_from ?? '', start_to: upcoming.start_to ?? '' });
  return (
    <>
      <ol className="upcoming">
        {upcoming.items.map((item) => (
          <li key={item.id}>
            <Link to={`/interactions/${item.id}`}>{item.title}</Link>
            <span className="muted">
              {' '}
              · {formatInZone(item.start_datetime, tz)} · {item.type} · {item.lead}
              {item.location && ` · ${item.location}`}
            </span>
          </li>
        ))}
      </ol>
      <p>
        <Link to={all}>
          Open {upcoming.total === 1 ? 'it' : `all ${upcoming.total}`} in the Finder
        </Link>
        {upcoming.total > upcoming.items.length && <span className="muted"> (the first {upcoming.items.length} are listed)</span>}
      </p>
      <DataTable
        caption="The next 7 days"
        columns={['Starts', 'Title', 'Type', 'Lead', 'Location']}
        rows={upcoming.items.map((item) => [
          { value: formatInZone(item.start_datetime, tz) },
          { value: item.title, to: `/interactions/${item.id}` },
          { value: item.type },
          { value: item.lead },
          { value: item.location },
        ])}
        filename="next-7-days.csv"
      />
    </>
  );
}
