// A chart as wide as its data needs (at least its container): on a phone it scrolls sideways instead of
// squeezing bars and labels below reading size. The SVG gets a name; the table below carries the numbers.
import type { ReactElement } from 'react';
import { ResponsiveContainer } from 'recharts';

export function ScrollingChart({ label, minWidth, height = 300, children }: {
  label: string;
  minWidth: number;
  height?: number;
  children: ReactElement;
}) {
  return (
    <div className="chart-scroll" role="region" aria-label={`${label}: chart (the table below has the same numbers)`}>
      <div style={{ minWidth, height }}>
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </div>
  );
}
