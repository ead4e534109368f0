import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, json, makeInteraction, makeUser, mockApi, renderWithApp } from '../test/utils';
import { FinderPage } from './FinderPage';

const page = (items = [makeInteraction()], extra = {}) =>
  json({ items, page: 1, page_size: 25, total: items.length, pages: 1, total_exact: true, ...extra });

const renderFinder = (route = '/interactions', user = makeUser()) =>
  renderWithApp(<FinderPage />, { path: '/interactions', route, user });

describe('Finder page', () => {
  it('asks the API for exactly the query in the URL, in the current site', async () => {
    const { requests } = mockApi({ 'GET /api/interactions': () => page() });
    renderFinder('/interactions?search=budget&type=Call&type=Visit&sort=title&page=2&page_size=50');
    await screen.findByText('Quarterly review');
    const req = requests.find((r) => r.url.pathname === '/api/interactions')!;
    expect(req.url.searchParams.get('search')).toBe('budget');
    expect(req.url.searchParams.getAll('type')).toEqual(['Call', 'Visit']);
    expect(req.url.searchParams.get('sort')).toBe('title');
    expect(req.url.searchParams.get('page')).toBe('2');
    expect(req.url.searchParams.get('page_size')).toBe('50');
    expect(req.headers.get('X-Site-ID')).toBe('1');
    expect(screen.getByRole('searchbox')).toHaveValue('budget');
  });

  it('puts typed search words in the URL after a pause, as one request', async () => {
    const { requests } = mockApi({ 'GET /api/interactions': () => page() });
    renderFinder();
    await screen.findByText('Quarterly review');
    await userEvent.type(screen.getByRole('searchbox'), 'invoice');
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/interactions?search=invoice'));
    await waitFor(() => expect(requests.at(-1)!.url.searchParams.get('search')).toBe('invoice'));
    expect(requests.filter((r) => r.url.searchParams.has('search'))).toHaveLength(1);
  });

  it('follows the URL when it changes from outside (Back button)', async () => {
    mockApi({ 'GET /api/interactions': () => page() });
    const { router } = renderFinder('/interactions?search=first');
    await screen.findByText('Quarterly review');
    await act(() => router.navigate('/interactions?search=second'));
    await waitFor(() => expect(screen.getByRole('searchbox')).toHaveValue('second'));
  });

  it('sorts by a header and shows the total with pagination', async () => {
    mockApi({
      'GET /api/interactions': () => page([makeInteraction()], { total: 120, pages: 5 }),
    });
    renderFinder();
    const pager = () => within(screen.getByRole('navigation', { name: 'Pagination' }));
    await waitFor(() => expect(pager().getByText('1–1 of 120')).toBeInTheDocument());
    await userEvent.click(screen.getByRole('button', { name: /^Title/ }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/interactions?sort=title'));
    await userEvent.click(pager().getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/interactions?sort=title&page=2'));
  });

  it('shows a capped total as "10,000+"', async () => {
    mockApi({ 'GET /api/interactions': () => page([makeInteraction()], { total: 10000, pages: 400, total_exact: false }) });
    renderFinder();
    const pager = await screen.findByRole('navigation', { name: 'Pagination' });
    expect(await within(pager).findByText('1–1 of 10,000+')).toBeInTheDocument();
  });

  it('offers to clear the filters when nothing matches', async () => {
    mockApi({ 'GET /api/interactions': () => page([]) });
    renderFinder('/interactions?lead=Nobody');
    expect(await screen.findByText('No interactions match')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Clear search and filters' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/interactions$/));
  });

  it('shows the error and retries on request', async () => {
    let fail = true;
    mockApi({
      'GET /api/interactions': () => (fail ? apiError(503, 'unavailable', 'Database unavailable') : page()),
    });
    renderFinder();
    expect(await screen.findByText('The interactions could not be loaded')).toBeInTheDocument();
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Quarterly review')).toBeInTheDocument();
  });

  it('filters by type from the filters panel', async () => {
    mockApi({ 'GET /api/interactions': () => page() });
    renderFinder();
    await screen.findByText('Quarterly review');
    await userEvent.click(screen.getByRole('button', { name: /Filters/ }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Webinar' }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Call' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/interactions?type=Call&type=Webinar'));
    expect(screen.getByRole('button', { name: 'Remove Type: Call, Webinar' })).toBeInTheDocument();
  });

  it('shows an exact lead from an insights bar as a chip of its own that removes it, beside the substring filter', async () => {
    const { requests } = mockApi({ 'GET /api/interactions': () => page() });
    renderFinder('/interactions?lead=an&lead_is=%C3%81na+L%C3%B3pez+');
    await screen.findByText('Quarterly review');
    const sent = requests.at(-1)!.url.searchParams;
    expect([sent.get('lead'), sent.get('lead_is')]).toEqual(['an', 'Ána López ']); // the whole name, as stored
    const chips = screen.getByRole('list', { name: 'Active filters' });
    expect(within(chips).getByText('Lead: an')).toBeInTheDocument();
    // The panel (open, as filters are in use) offers the substring filter only: the exact one is its chip's.
    expect(within(screen.getByRole('region', { name: 'Filters' })).getAllByRole('textbox', { name: /^Lead/ })).toHaveLength(1);
    await userEvent.click(screen.getByRole('button', { name: 'Remove Lead is exactly: Ána López' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/interactions\?lead=an$/));
    await waitFor(() => expect(requests.at(-1)!.url.searchParams.has('lead_is')).toBe(false));
    expect(requests.at(-1)!.url.searchParams.get('lead')).toBe('an');
  });

  it('keeps both start-date bounds filled one right after the other', async () => {
    mockApi({ 'GET /api/interactions': () => page() });
    renderFinder();
    await screen.findByText('Quarterly review');
    await userEvent.click(screen.getByRole('button', { name: /Filters/ }));
    // Both changes before React renders again: the second must build on the first, not on a stale copy.
    act(() => {
      fireEvent.change(screen.getByLabelText('Starts on or after'), { target: { value: '2026-01-01' } });
      fireEvent.change(screen.getByLabelText('Starts on or before'), { target: { value: '2026-01-31' } });
    });
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent('/interactions?start_from=2026-01-01&start_to=2026-01-31'),
    );
    expect(screen.getByLabelText('Starts on or after')).toHaveValue('2026-01-01');
    expect(screen.getByRole('list', { name: 'Active filters' })).toHaveTextContent('Starts 01/01/2026 – 31/01/2026');
  });

  it('hides "New interaction" and "Import" from viewers', async () => {
    mockApi({ 'GET /api/interactions': () => page() });
    renderFinder('/interactions', makeUser('viewer'));
    await screen.findByText('Quarterly review');
    expect(screen.queryByRole('link', { name: /New interaction/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Import' })).not.toBeInTheDocument();
  });

  it('offers editors and admins the import of a spreadsheet', async () => {
    mockApi({ 'GET /api/interactions': () => page() });
    for (const role of ['editor', 'admin'] as const) {
      const { unmount } = renderFinder('/interactions', makeUser(role));
      await screen.findByText('Quarterly review');
      expect(screen.getByRole('link', { name: 'Import' })).toHaveAttribute('href', '/imports');
      unmount();
    }
  });

  it('offers exactly the table’s own columns in the Columns menu, and each one shows its column', async () => {
    mockApi({
      'GET /api/interactions': () =>
        page([makeInteraction({ description: 'Agenda: budget, hiring and the move', notes: 'Send the minutes' })]),
    });
    renderFinder();
    await screen.findByText('Quarterly review');
    await userEvent.click(screen.getByRole('button', { name: 'Columns' }));
    const options = within(screen.getByRole('group', { name: 'Show columns' })).getAllByRole('checkbox');
    expect(options.map((o) => o.closest('label')!.textContent)).toEqual([
      'Type', 'Lead', 'Start', 'End', 'Time zone', 'Location', 'Description', 'Notes', 'Created', 'Last updated',
    ]);
    for (const option of options) if (!(option as HTMLInputElement).checked) await userEvent.click(option);
    const headers = screen
      .getAllByRole('columnheader')
      .filter((h) => !h.classList.contains('col-select')) // an editor's checkbox column is no column to show or hide
      .map((h) => h.textContent!.replace(/[▲▼↕\d]/g, '').trim());
    expect(headers).toEqual(['Title', ...options.map((o) => o.closest('label')!.textContent)]);
    expect(screen.getByText('Agenda: budget, hiring and the move')).toBeInTheDocument();
    expect(screen.getByText('Send the minutes')).toBeInTheDocument();
  });

  it('shows times in the viewer’s zone by default and remembers a switch to each record’s own', async () => {
    mockApi({ 'GET /api/interactions': () => page([makeInteraction({ timezone: 'Asia/Kolkata' })]) });
    const first = renderFinder();
    await screen.findByText('Quarterly review');
    const zone = screen.getByRole('combobox', { name: 'Times in' });
    expect(zone).toHaveValue('viewer');
    // The test runs in UTC: the viewer reads 08:30 UTC, with the record's own 14:00 IST beside it.
    expect(screen.getByText('24/11/2026, 08:30 UTC')).toBeInTheDocument();
    expect(screen.getByText('14:00 IST there')).toBeInTheDocument();
    await userEvent.selectOptions(zone, 'record');
    expect(await screen.findByText('24/11/2026, 14:00 IST')).toHaveAttribute('title', '24/11/2026, 08:30 UTC in your time zone (UTC)');
    first.unmount();
    renderFinder();
    await screen.findByText('Quarterly review');
    expect(screen.getByRole('combobox', { name: 'Times in' })).toHaveValue('record');
  });

  it('offers the site’s zone when the site has one', async () => {
    mockApi({ 'GET /api/interactions': () => page([makeInteraction({ timezone: 'Asia/Kolkata' })]) });
    const user = makeUser();
    user.sites[0]!.default_timezone = 'America/New_York';
    renderFinder('/interactions', user);
    await screen.findByText('Quarterly review');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Times in' }), 'site');
    expect(await screen.findByText('24/11/2026, 03:30 EST')).toBeInTheDocument();
  });

  it('falls back to the viewer’s zone where the remembered choice is a site zone this site lacks', async () => {
    localStorage.setItem('ims.finder.timeZone', 'site');
    mockApi({ 'GET /api/interactions': () => page() });
    renderFinder();
    await screen.findByText('Quarterly review');
    const zone = screen.getByRole('combobox', { name: 'Times in' });
    expect(zone).toHaveValue('viewer');
    expect(within(zone).queryByRole('option', { name: /site/ })).not.toBeInTheDocument();
  });

  it('skips from the search box past the toolbar to the first row', async () => {
    mockApi({ 'GET /api/interactions': () => page() });
    renderFinder();
    await screen.findByText('Quarterly review');
    screen.getByRole('searchbox').focus();
    await userEvent.tab();
    const skip = screen.getByRole('link', { name: 'Skip to results' });
    await waitFor(() => expect(skip).toHaveFocus());
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(screen.getByRole('link', { name: 'Quarterly review' })).toHaveFocus());
  });
});
