import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Insights } from '../api/insights';
import { json, mockApi, renderWithApp } from '../test/utils';
import InsightsPage from './InsightsPage';

const answer: Insights = {
  tz: 'Europe/Berlin',
  interval: 'month',
  total: 7,
  periods: [
    {
      start: '2026-05-01',
      start_from: '2026-05-01T00:00:00+02:00',
      start_to: '2026-05-31T23:59:59.999999+02:00',
      counts: { Meeting: 4, Call: 3 },
      total: 7,
    },
  ],
  leads: [{ name: '=HYPERLINK("x")', count: 5 }],
  locations: [{ name: 'Board room', count: 2 }],
  heatmap: [{ weekday: 2, hour: 9, count: 6 }],
  upcoming: { start_from: null, start_to: null, total: 0, items: [] },
};

const renderInsights = (route: string) => renderWithApp(<InsightsPage />, { path: '/insights', route });

describe('Insights page', () => {
  it('asks for the Finder’s criteria from the URL, in the viewer’s zone, in the current site', async () => {
    const { requests } = mockApi({ 'GET /api/insights': () => json(answer) });
    renderInsights('/insights?search=budget&type=Call&lead=Ana&page=3');
    await screen.findByText('7 interactions match');
    const params = requests[0]!.url.searchParams;
    expect(params.get('search')).toBe('budget');
    expect(params.getAll('type')).toEqual(['Call']);
    expect(params.get('lead')).toBe('Ana');
    expect(params.get('interval')).toBe('month');
    expect(params.get('tz')).toBeTruthy();
    expect(params.has('page')).toBe(false);
    expect(requests[0]!.headers.get('X-Site-ID')).toBe('1');
  });

  it('reads a weekday and hour from a heat-map link in their own zone, and shows them as a chip', async () => {
    const { requests } = mockApi({ 'GET /api/insights': () => json(answer) });
    renderInsights('/insights?weekday=2&hour=9&tz=Asia%2FKolkata');
    await screen.findByText('7 interactions match');
    const params = requests[0]!.url.searchParams;
    expect([params.get('weekday'), params.get('hour'), params.getAll('tz')]).toEqual(['2', '9', ['Asia/Kolkata']]);
    expect(screen.getByRole('button', { name: 'Remove Starts on Tuesdays at 09:00–09:59 (Asia/Kolkata)' })).toBeInTheDocument();
  });

  it('links each number of each table to the Finder with the page’s criteria and the element’s own', async () => {
    mockApi({ 'GET /api/insights': () => json(answer) });
    renderInsights('/insights?search=budget');
    const table = await screen.findByRole('table', { name: 'Interactions per month, by type' });
    const meeting = within(table).getByRole('link', { name: '4' });
    const url = new URL(meeting.getAttribute('href')!, 'http://x');
    expect(url.pathname).toBe('/interactions');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      search: 'budget',
      type: 'Meeting',
      start_from: '2026-05-01T00:00:00+02:00',
      start_to: '2026-05-31T23:59:59.999999+02:00',
    });
    const cell = screen.getByRole('link', { name: '6 on Tuesday at 09:00' });
    expect(cell.getAttribute('href')).toBe('/interactions?search=budget&weekday=2&hour=9&tz=Europe%2FBerlin');
    const place = within(screen.getByRole('table', { name: 'Busiest locations' })).getAllByRole('link')[0]!;
    expect(place.getAttribute('href')).toBe('/interactions?search=budget&location_is=Board+room');
  });

  it('links a busiest lead or location to exactly its name, not to the names containing it', async () => {
    mockApi({ 'GET /api/interactions': () => json({}), 'GET /api/insights': () => json(answer) });
    renderInsights('/insights?lead=HYPER');
    const leads = await screen.findByRole('table', { name: 'Busiest leads' });
    for (const link of within(leads).getAllByRole('link')) {
      const url = new URL(link.getAttribute('href')!, 'http://x');
      expect(Object.fromEntries(url.searchParams)).toEqual({ lead: 'HYPER', lead_is: '=HYPERLINK("x")' });
    }
    const places = within(screen.getByRole('table', { name: 'Busiest locations' })).getAllByRole('link');
    expect(places.map((link) => new URL(link.getAttribute('href')!, 'http://x').searchParams.get('location_is'))).toEqual([
      'Board room',
      'Board room',
    ]);
  });

  it('switches to weekly bars', async () => {
    const { requests } = mockApi({ 'GET /api/insights': () => json(answer) });
    renderInsights('/insights');
    await screen.findByText('7 interactions match');
    await userEvent.selectOptions(screen.getByLabelText('Bars per'), 'week');
    await waitFor(() => expect(requests.at(-1)!.url.searchParams.get('interval')).toBe('week'));
  });

  it('says so when the insights cannot be loaded', async () => {
    mockApi({ 'GET /api/insights': () => json({ error: { code: 'validation_error', message: 'Bad zone.', details: {} } }, 400) });
    renderInsights('/insights');
    expect(await screen.findByRole('alert')).toHaveTextContent('could not be loaded');
  });
});
