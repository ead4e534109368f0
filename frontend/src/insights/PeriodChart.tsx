// Interactions per week or month, stacked by type; a segment opens the Finder on that period and type.
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { useNavigate } from 'react-router-dom';
import { INTERACTION_TYPES, type InteractionType } from '../api/interactionFields';
import type { Insights, InsightsPeriod } from '../api/insights';
import type { FinderQuery } from '../criteria/queryState';
import { formatDate } from '../lib/datetime';
import { DataTable, type TableCell } from './DataTable';
import { finderLink } from './finderLink';
import { typeFill, typePatterns } from './palette';
import { ScrollingChart } from './ScrollingChart';

const periodLink = (query: FinderQuery, period: InsightsPeriod, type?: InteractionType) =>
  finderLink(query, { start_from: period.start_from ?? '', start_to: period.start_to ?? '', ...(type ? { type: [type] } : {}) });

export const periodLabel = (period: InsightsPeriod, interval: Insights['interval']) =>
  interval === 'month' ? period.start.slice(0, 7) : formatDate(period.start);

export function PeriodChart({ insights, query }: { insights: Insights; query: FinderQuery }) {
  const navigate = useNavigate();
  const types = INTERACTION_TYPES.filter((t) => insights.periods.some((p) => p.counts[t]));
  const data = insights.periods.map((p) => ({ label: periodLabel(p, insights.interval), period: p, ...p.counts }));
  const first = insights.interval === 'week' ? 'Week of' : 'Month';
  const rows: TableCell[][] = insights.periods.map((p) => [
    { value: periodLabel(p, insights.interval) },
    ...types.map((t) => ({ value: p.counts[t] ?? 0, to: p.counts[t] ? periodLink(query, p, t) : undefined })),
    { value: p.total, to: periodLink(query, p) },
  ]);
  return (
    <>
      <ScrollingChart label={`Interactions per ${insights.interval}, by type`} minWidth={data.length * 28}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
          {typePatterns(types)}
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} />
          <YAxis allowDecimals={false} width={40} tick={{ fontSize: 12 }} />
          <Tooltip />
          <Legend />
          {types.map((type) => (
            <Bar
              key={type}
              dataKey={type}
              name={type}
              stackId="types"
              fill={typeFill(type)}
              stroke="#ffffff"
              legendType="rect"
              cursor="pointer"
              isAnimationActive={false}
              onClick={(entry: { payload?: { period: InsightsPeriod } }) => {
                if (entry.payload) navigate(periodLink(query, entry.payload.period, type));
              }}
            />
          ))}
        </BarChart>
      </ScrollingChart>
      <DataTable
        caption={`Interactions per ${insights.interval}, by type`}
        columns={[first, ...types, 'Total']}
        rows={rows}
        filename={`interactions-per-${insights.interval}.csv`}
      />
    </>
  );
}
