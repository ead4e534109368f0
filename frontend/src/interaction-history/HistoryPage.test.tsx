import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { HistoryEntry, Page } from '../api/types';
import { apiError, json, makeInteraction, makeUser, mockApi, renderWithApp, type FakeRequest } from '../test/utils';
import { HistoryPage } from './HistoryPage';

const entry = (version: number, overrides: Partial<HistoryEntry> = {}): HistoryEntry => ({
  id: 300 + version, version, action: 'update', occurred_at: '2026-11-03T10:00:00Z', user: { id: 1, display_name: 'Ada Admin' },
  changes: { lead: { from: `Lead ${version - 1}`, to: `Lead ${version}`, truncated: false } }, restored_from: null, ...overrides,
});
const history: HistoryEntry[] = [
  entry(2, { changes: { notes: { from: 'Budget approved', to: 'Budget approved twice', truncated: false }, lead: { from: 'Ana', to: 'Ana Lima', truncated: false } } }),
  entry(1, { action: 'create', occurred_at: '2026-11-01T10:00:00Z', user: { id: 7, display_name: 'Eddie Editor' }, changes: {} }),
];
const page = (items: HistoryEntry[], number = 1, total = items.length, size = 10): Page<HistoryEntry> => ({
  items, page: number, page_size: size, total, pages: Math.ceil(total / size),
});

type Handler = (req: FakeRequest) => Response | Promise<Response>;

const render = (role: 'editor' | 'viewer', handlers: Record<string, Handler> = {}, version = 2) => {
  const api = mockApi({
    'GET /api/interactions/:id': () => json(makeInteraction({ version })),
    'GET /api/interactions/11/history': () => json(page(history)),
    'POST /api/interactions/11/restore': () => json(makeInteraction({ version: 3 })),
    ...handlers,
  });
  renderWithApp(<HistoryPage />, { path: '/interactions/:id/history', route: '/interactions/11/history', user: makeUser(role) });
  return api;
};

describe('History', () => {
  it('shows who changed which field, long texts as a word diff', async () => {
    render('viewer');
    expect(screen.getByRole('status', { name: 'Loading the history…' })).toBeInTheDocument();
    expect(await screen.findByText(/Changed by Ada Admin/)).toBeInTheDocument();
    expect(screen.getByText('twice', { exact: false, selector: 'ins' })).toBeInTheDocument();
    expect(screen.getByText('Ana', { selector: 'del' })).toBeInTheDocument();
    expect(screen.getByText('Showing 2 of 2 entries')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Restore/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Load older/ })).not.toBeInTheDocument();
  });

  it('reads a short field from → to, and only the long texts as a word diff', async () => {
    const changes = {
      location: { from: 'Harbor office', to: 'Main hall', truncated: false },
      title: { from: 'Budget review', to: 'Budget review two', truncated: false },
      description: { from: 'Agenda: budget', to: 'Agenda: budget and hiring', truncated: false },
    };
    render('viewer', { 'GET /api/interactions/11/history': () => json(page([entry(2, { changes }), history[1]!])) });
    const version = within((await screen.findByRole('heading', { name: 'Version 2 (current)' })).closest('li')!);
    const row = (label: string) => version.getByText(label, { selector: 'dt' }).nextElementSibling!;
    for (const [label, from, to] of [['Location', 'Harbor office', 'Main hall'], ['Title', 'Budget review', 'Budget review two']]) {
      expect(row(label!)).toHaveTextContent(`${from} → ${to}`);
      expect(within(row(label!) as HTMLElement).getByText(from!, { selector: 'del' })).toBeInTheDocument();
      expect(within(row(label!) as HTMLElement).getByText(to!, { selector: 'ins' })).toBeInTheDocument();
    }
    expect(row('Description')).toHaveTextContent('Agenda: budget and hiring');
    expect(within(row('Description') as HTMLElement).getByText('and hiring', { exact: false, selector: 'ins' })).toBeInTheDocument();
    expect(within(row('Description') as HTMLElement).queryByText('Agenda: budget', { selector: 'del' })).not.toBeInTheDocument();
  });

  it('restores an older version with the loaded version', async () => {
    const { requests } = render('editor');
    await userEvent.click(await screen.findByRole('button', { name: 'Restore version 1' }));
    await waitFor(() => expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ restore_version: 1, version: 2 }));
    expect(await screen.findByText('Version 1 is restored as version 3')).toBeInTheDocument();
  });

  it('explains a conflict instead of overwriting', async () => {
    render('editor', {
      'POST /api/interactions/11/restore': () =>
        apiError(409, 'version_conflict', 'Someone else changed this record.', { current: makeInteraction() }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Restore version 1' }));
    expect(await screen.findByText(/Someone changed this interaction meanwhile/)).toBeInTheDocument();
  });

  it('shows the newest page and loads older versions from the keyboard', async () => {
    const newest = Array.from({ length: 10 }, (_, n) => entry(25 - n));
    const older = Array.from({ length: 10 }, (_, n) => entry(15 - n));
    const { requests } = render('editor', {
      'GET /api/interactions/11/history': (req) =>
        json(req.url.searchParams.get('page') === '2' ? page(older, 2, 25) : page(newest, 1, 25)),
    }, 25);
    expect(await screen.findByRole('heading', { name: 'Version 25 (current)' })).toBeInTheDocument();
    expect(screen.getByText('Showing 10 of 25 entries')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Version 15' })).not.toBeInTheDocument();
    screen.getByRole('button', { name: 'Load older versions' }).focus();
    await userEvent.keyboard('{Enter}');
    expect(await screen.findByRole('heading', { name: 'Version 15' })).toBeInTheDocument();
    expect(screen.getByText('Showing 20 of 25 entries')).toBeInTheDocument();
    const asked = requests.filter((r) => r.url.pathname === '/api/interactions/11/history').map((r) => r.url.searchParams.get('page'));
    expect(asked).toEqual(['1', '2']);
    expect(requests[requests.length - 1]?.url.searchParams.get('page_size')).toBe('10');
  });

  it('keeps the versions shown when older ones fail to load, and tries again', async () => {
    let fail = true;
    render('viewer', {
      'GET /api/interactions/11/history': (req) => {
        if (req.url.searchParams.get('page') !== '2') return json(page([entry(3), entry(2)], 1, 3, 2));
        return fail ? apiError(503, 'unavailable', 'The database is not reachable.') : json(page([entry(1)], 2, 3, 2));
      },
    }, 3);
    await userEvent.click(await screen.findByRole('button', { name: 'Load older versions' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/Older versions could not be loaded/);
    expect(screen.getByRole('heading', { name: 'Version 3 (current)' })).toBeInTheDocument();
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Version 1' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Load older|Try again/ })).not.toBeInTheDocument();
  });

  it('shows a long text as an excerpt around the change, and whole on demand', async () => {
    const before = `${'Opening remarks. '.repeat(40)}The budget was approved.${' Closing.'.repeat(60)}`;
    const after = before.replace('approved', 'rejected');
    const offset = before.indexOf('approved') - 60;
    const excerpt = { from: before.slice(offset, offset + 300), to: after.slice(offset, offset + 300), truncated: true,
      offset, from_length: before.length, to_length: after.length };
    const { requests } = render('viewer', {
      'GET /api/interactions/11/history': () => json(page([entry(2, { changes: { notes: excerpt } }), history[1]!])),
      'GET /api/interactions/11/history/302': () =>
        json(entry(2, { changes: { notes: { from: before, to: after, truncated: false } } })),
    });
    const version = within((await screen.findByRole('heading', { name: 'Version 2 (current)' })).closest('li')!);
    expect(version.getByText('rejected', { selector: 'ins' })).toBeInTheDocument();
    expect(version.getByLabelText('text before the excerpt left out')).toBeInTheDocument();
    expect(version.getByLabelText('text after the excerpt left out')).toBeInTheDocument();
    expect(version.queryByText(/Opening remarks\. Opening remarks\. Opening remarks\. Opening remarks\. Opening remarks\. Opening/)).not.toBeInTheDocument();
    await userEvent.click(version.getByRole('button', { name: 'Show the whole texts' }));
    expect(await version.findByRole('button', { name: 'Show excerpts' })).toHaveAttribute('aria-expanded', 'true');
    expect(version.queryByLabelText('text before the excerpt left out')).not.toBeInTheDocument();
    expect(version.getByText(/^Opening remarks\. Opening remarks\./)).toBeInTheDocument();
    expect(requests.some((r) => r.url.pathname === '/api/interactions/11/history/302')).toBe(true);
  });

  it('says so when the history cannot be loaded', async () => {
    render('viewer', { 'GET /api/interactions/11/history': () => apiError(404, 'not_found', 'No such interaction in this site.') });
    expect(await screen.findByRole('heading', { name: 'The history could not be loaded' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('No such interaction in this site.');
  });
});
