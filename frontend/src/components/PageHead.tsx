// A screen's heading: its title, the site (or other context) under it, and the screen's main action beside it.
import type { ReactNode } from 'react';

export function PageHead({ title, subtitle, children }: { title: string; subtitle: ReactNode; children?: ReactNode }) {
  return (
    <div className="page-head">
      <div>
        <h1 className="page-title">{title}</h1>
        <p className="page-subtitle">{subtitle}</p>
      </div>
      {children}
    </div>
  );
}
