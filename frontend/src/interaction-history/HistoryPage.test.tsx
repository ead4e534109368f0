import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../api/types';
import { apiError, json, makeInteraction, makeUser, mockApi, renderWithApp } from '../test/utils';
import { HistoryPage } from './HistoryPage';

const snapshot = (notes: string) => ({ ...makeInteraction({ notes }) });
const history: HistoryEntry[] = [
  { version: 2, action: 'update', occurred_at: '2026-11-03T10:00:00Z', user: { id: 1, display_name: 'Ada Admin' },
    changes: { notes: { from: 'Budget approved', to: 'Budget approved twice' }, lead: { from: 'Ana', to: 'Ana Lima' } },
    snapshot: snapshot('Budget approved twice'), restored_from: null },
  { version: 1, action: 'create', occurred_at: '2026-11-01T10:00:00Z', user: { id: 7, display_name: 'Eddie Editor' },
    changes: {}, snapshot: snapshot('Budget approved'), restored_from: null },
];

const render = (role: 'editor' | 'viewer', restore = () => json(makeInteraction({ version: 3 }))) => {
  const api = mockApi({
    'GET /api/interactions/:id': () => json(makeInteraction({ version: 2 })),
    'GET /api/interactions/11/history': () => json({ items: history }),
    'POST /api/interactions/11/restore': restore,
  });
  renderWithApp(<HistoryPage />, { path: '/interactions/:id/history', route: '/interactions/11/history', user: makeUser(role) });
  return api;
};

describe('History', () => {
  it('shows who changed which field, long texts as a word diff', async () => {
    render('viewer');
    expect(await screen.findByText(/Changed by Ada Admin/)).toBeInTheDocument();
    expect(screen.getByText('twice', { exact: false, selector: 'ins' })).toBeInTheDocument();
    expect(screen.getByText('Ana', { selector: 'del' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Restore/ })).not.toBeInTheDocument();
  });

  it('restores an older version with the loaded version', async () => {
    const { requests } = render('editor');
    await userEvent.click(await screen.findByRole('button', { name: 'Restore version 1' }));
    await waitFor(() => expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ restore_version: 1, version: 2 }));
    expect(await screen.findByText('Version 1 is restored as version 3')).toBeInTheDocument();
  });

  it('explains a conflict instead of overwriting', async () => {
    render('editor', () => apiError(409, 'version_conflict', 'Someone else changed this record.', { current: makeInteraction() }));
    await userEvent.click(await screen.findByRole('button', { name: 'Restore version 1' }));
    expect(await screen.findByText(/Someone changed this interaction meanwhile/)).toBeInTheDocument();
  });
});
