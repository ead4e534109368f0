// The heading row of a signed-in screen: its title, what it is about (site, person), and the screen's main action.
import type { ReactNode } from 'react';

interface PageHeadProps {
  title: string;
  subtitle?: ReactNode;
  /** Buttons or links at the end of the row, e.g. "+ New interaction". */
  children?: ReactNode;
}

export function PageHead({ title, subtitle, children }: PageHeadProps) {
  return (
    <div className="page-head">
      <div>
        <h1 className="page-title">{title}</h1>
        {subtitle && <p className="page-subtitle">{subtitle}</p>}
      </div>
      {children}
    </div>
  );
}
