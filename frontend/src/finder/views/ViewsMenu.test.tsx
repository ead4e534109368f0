import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { SavedView } from '../../api/views';
import { json, makeInteraction, makeUser, mockApi, renderWithApp } from '../../test/utils';
import { FinderPage } from '../FinderPage';

const page = () => json({ items: [makeInteraction()], page: 1, page_size: 25, total: 1, pages: 1, total_exact: true });

const view = (overrides: Partial<SavedView> = {}): SavedView => ({
  id: 5,
  name: 'Open calls',
  shared: false,
  params: { search: ['budget'], type: ['Call'], columns: ['lead,notes'], tz: ['record'] },
  owner: { id: 7, display_name: 'Eddie Editor' },
  is_default: false,
  can_change: true,
  created_at: '2026-11-01T10:00:00Z',
  updated_at: '2026-11-01T10:00:00Z',
  ...overrides,
});

const location = () => screen.getByTestId('location');

describe('the views menu', () => {
  it('opens the default view when the person comes to the Finder with no query', async () => {
    mockApi({ 'GET /api/interactions': page, 'GET /api/views': () => json({ items: [view({ is_default: true })] }) });
    renderWithApp(<FinderPage />, { path: '/interactions', route: '/interactions' });
    await waitFor(() => expect(location()).toHaveTextContent('/interactions?search=budget&type=Call'));
    expect(screen.getByRole('button', { name: 'View: Open calls' })).toBeInTheDocument();
    expect(screen.getByLabelText('Times in')).toHaveValue('record');
  });

  it('leaves a Finder link with a query as it is', async () => {
    mockApi({ 'GET /api/interactions': page, 'GET /api/views': () => json({ items: [view({ is_default: true })] }) });
    const { queryClient } = renderWithApp(<FinderPage />, { path: '/interactions', route: '/interactions?search=invoice' });
    await waitFor(() => expect(queryClient.getQueryData(['views', 1, 'list'])).toBeDefined());
    expect(location()).toHaveTextContent('/interactions?search=invoice');
    expect(screen.getByRole('button', { name: 'Views' })).toBeInTheDocument();
  });

  it('opens a linked view without the column that no longer exists, and says so', async () => {
    const linked = view({ params: { search: ['budget'], columns: ['lead,xyz'] } });
    mockApi({ 'GET /api/interactions': page, 'GET /api/views': () => json({ items: [linked] }), 'GET /api/views/:id': () => json(linked) });
    renderWithApp(<FinderPage />, { path: '/interactions', route: '/interactions?view=5' });
    expect(await screen.findByText('This view’s column ‘xyz’ no longer exists and was dropped.')).toBeInTheDocument();
    await waitFor(() => expect(location()).toHaveTextContent('/interactions?search=budget'));
    expect(location()).not.toHaveTextContent('view=');
  });

  it('marks a changed view modified and saves the Finder’s current state into it', async () => {
    const { requests } = mockApi({
      'GET /api/interactions': page,
      'GET /api/views': () => json({ items: [view({ is_default: true })] }),
      'PATCH /api/views/:id': (req) => json(view({ params: (req.body as { params: SavedView['params'] }).params })),
    });
    renderWithApp(<FinderPage />, { path: '/interactions', route: '/interactions' });
    await waitFor(() => expect(location()).toHaveTextContent('search=budget'));
    expect(screen.queryByRole('group', { name: /is modified/ })).not.toBeInTheDocument();
    await userEvent.type(screen.getByRole('searchbox'), ' invoice');
    const modified = await screen.findByRole('group', { name: 'View “Open calls” is modified' });
    await userEvent.click(within(modified).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(requests.some((r) => r.method === 'PATCH')).toBe(true));
    const saved = requests.find((r) => r.method === 'PATCH')!;
    expect(saved.url.pathname).toBe('/api/views/5');
    expect(saved.body).toEqual({
      params: { search: ['budget invoice'], type: ['Call'], columns: ['lead,notes'], tz: ['record'] },
    });
  });

  it('lets a viewer save a personal view but not share it', async () => {
    const { requests } = mockApi({
      'GET /api/interactions': page,
      'GET /api/views': () => json({ items: [] }),
      'POST /api/views': (req) => json(view({ ...(req.body as object), id: 9 }), 201),
    });
    renderWithApp(<FinderPage />, { path: '/interactions', route: '/interactions?type=Visit', user: makeUser('viewer') });
    await userEvent.click(await screen.findByRole('button', { name: 'Views' }));
    await userEvent.click(screen.getByRole('button', { name: 'Save current view…' }));
    const dialog = screen.getByRole('dialog', { name: 'Save the current view' });
    expect(within(dialog).queryByRole('checkbox', { name: /Share/ })).not.toBeInTheDocument();
    await userEvent.type(within(dialog).getByLabelText(/Name/), 'My visits');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save view' }));
    await waitFor(() => expect(requests.some((r) => r.method === 'POST')).toBe(true));
    expect(requests.find((r) => r.method === 'POST')!.body).toMatchObject({
      name: 'My visits',
      shared: false,
      params: { type: ['Visit'], tz: ['viewer'] },
    });
  });
});
