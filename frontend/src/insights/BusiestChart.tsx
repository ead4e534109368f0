// The busiest leads or locations; a bar opens the Finder filtered by exactly that lead or location.
import { Bar, BarChart, CartesianGrid, LabelList, XAxis, YAxis } from 'recharts';
import { useNavigate } from 'react-router-dom';
import type { NamedCount } from '../api/insights';
import type { FinderQuery } from '../criteria/queryState';
import { DataTable } from './DataTable';
import { exactly, finderLink } from './finderLink';
import { ScrollingChart } from './ScrollingChart';

const BAR_COLOUR = '#1f5fa8';

export function BusiestChart({ items, field, query }: { items: NamedCount[]; field: 'lead' | 'location'; query: FinderQuery }) {
  const navigate = useNavigate();
  const title = field === 'lead' ? 'Busiest leads' : 'Busiest locations';
  const link = (name: string) => finderLink(query, exactly(field, name));
  if (!items.length) return <p className="muted">No {field === 'lead' ? 'leads' : 'locations'} to show.</p>;
  return (
    <>
      <ScrollingChart label={title} minWidth={280} height={Math.max(120, items.length * 34 + 20)}>
        <BarChart data={items} layout="vertical" margin={{ top: 4, right: 36, bottom: 4, left: 4 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12 }} />
          <YAxis type="category" dataKey="name" width={120} tick={{ fontSize: 12 }} />
          <Bar
            dataKey="count"
            name="Interactions"
            fill={BAR_COLOUR}
            cursor="pointer"
            isAnimationActive={false}
            onClick={(entry: { payload?: NamedCount }) => {
              if (entry.payload) navigate(link(entry.payload.name));
            }}
          >
            <LabelList dataKey="count" position="right" fill="#1a1a1a" fontSize={12} />
          </Bar>
        </BarChart>
      </ScrollingChart>
      <DataTable
        caption={title}
        columns={[field === 'lead' ? 'Lead' : 'Location', 'Interactions']}
        rows={items.map((item) => [{ value: item.name, to: link(item.name) }, { value: item.count, to: link(item.name) }])}
        filename={`${title.toLowerCase().replace(' ', '-')}.csv`}
      />
    </>
  );
}
