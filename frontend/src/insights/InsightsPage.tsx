// Insights: the shape of the current site's interactions for the Finder's search and filters (shared with the
// Finder through the URL), each chart with its table and CSV, every element a link to exactly its records.
import { useQuery } from '@tanstack/react-query';
import { useId, useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { CLOCK_PARAMS } from '../api/fieldList';
import { insightsQueries, type InsightsInterval } from '../api/insights';
import { PageHead } from '../components/PageHead';
import { Spinner } from '../components/Spinner';
import { FilterChips } from '../criteria/FilterChips';
import { FiltersPanel } from '../criteria/FiltersPanel';
import { activeFilterCount, textOf, toFilterParams } from '../criteria/queryState';
import { SearchBox } from '../criteria/SearchBox';
import { useFinderQuery } from '../criteria/useFinderQuery';
import { useSite } from '../session/SiteContext';
import { browserTimeZone } from '../lib/datetime';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { BusiestChart } from './BusiestChart';
import { finderLink } from './finderLink';
import { HeatMap } from './HeatMap';
import { PeriodChart } from './PeriodChart';
import { Upcoming } from './Upcoming';
import './insights.css';

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="insights__card" aria-labelledby={id}>
      <h2 id={id} className="insights__title">
        {title}
      </h2>
      {children}
    </section>
  );
}

export default function InsightsPage() {
  const controls = useFinderQuery();
  const { query } = controls;
  const { site } = useSite();
  const filtersId = useId();
  const [filtersOpen, setFiltersOpen] = useState(() => activeFilterCount(query) > 0);
  const [interval, setBucket] = useState<InsightsInterval>('month');
  // the viewer's zone, unless the criteria name one (a weekday and hour from the heat map are read in it)
  const tz = textOf(query.filters, CLOCK_PARAMS.zone) || browserTimeZone();
  const result = useQuery(insightsQueries.forParams(site.id, { ...toFilterParams(query), tz, interval }));
  const insights = result.data;
  const filterCount = activeFilterCount(query);
  useDocumentTitle(`Insights – ${site.name}`);

  return (
    <div className="insights">
      <PageHead title="Insights" subtitle={`${site.name} · times in ${tz}`}>
        <Link to={finderLink(query, {})} className="button">
          Open these in the Finder
        </Link>
      </PageHead>
      <div className="toolbar" role="search">
        <SearchBox controls={controls} />
        <button type="button" className="button" aria-expanded={filtersOpen} aria-controls={filtersId} onClick={() => setFiltersOpen((o) => !o)}>
          Filters{filterCount > 0 && <span className="count-badge">{filterCount}</span>}
        </button>
        <div className="field field--inline">
          <label htmlFor="insights-interval">Bars per</label>
          <select id="insights-interval" value={interval} onChange={(e) => setBucket(e.target.value as InsightsInterval)}>
            <option value="week">week</option>
            <option value="month">month</option>
          </select>
        </div>
      </div>
      {filtersOpen && <FiltersPanel id={filtersId} controls={controls} />}
      <FilterChips controls={controls} />

      {result.isError ? (
        <p className="field-error" role="alert">
          The insights could not be loaded. {result.error.message}
        </p>
      ) : !insights ? (
        <Spinner label="Loading insights…" />
      ) : (
        <div className="insights__grid" aria-busy={result.isFetching}>
          <p className="insights__total" role="status">
            {insights.total.toLocaleString()} interaction{insights.total === 1 ? '' : 's'} match
          </p>
          <Section title={`Interactions per ${insights.interval}, by type`}>
            {insights.periods.length ? <PeriodChart insights={insights} query={query} /> : <p className="muted">No interactions match.</p>}
          </Section>
          <Section title="Busiest leads">
            <BusiestChart items={insights.leads} field="lead" query={query} />
          </Section>
          <Section title="Busiest locations">
            <BusiestChart items={insights.locations} field="location" query={query} />
          </Section>
          <Section title={`When they start (${insights.tz})`}>
            <HeatMap cells={insights.heatmap} tz={insights.tz} query={query} />
          </Section>
          <Section title="The next 7 days">
            <Upcoming upcoming={insights.upcoming} tz={insights.tz} query={query} />
          </Section>
        </div>
      )}
    </div>
  );
}
