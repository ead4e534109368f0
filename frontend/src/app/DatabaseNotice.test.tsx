import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { FinderPage } from '../finder/FinderPage';
import { json, makeInteraction, mockApi, renderWithApp } from '../test/utils';
import { DatabaseNotice } from './DatabaseNotice';

const page = (headers: Record<string, string> = {}) =>
  json({ items: [makeInteraction()], page: 1, page_size: 25, total: 1, pages: 1, total_exact: true }, 200, headers);

const renderFinder = () =>
  renderWithApp(
    <>
      <DatabaseNotice />
      <FinderPage />
    </>,
    { path: '/interactions', route: '/interactions' },
  );

describe('Database notice', () => {
  it('says the data may be stale and saving is paused while the API answers from its cache', async () => {
    let stale = true;
    mockApi({ 'GET /api/interactions': () => page(stale ? { 'X-Data-Stale': 'database-unavailable' } : {}) });
    renderFinder();
    await screen.findByText('Quarterly review');
    const notice = await screen.findByText(/The database is unreachable/);
    expect(notice.closest('p')).toHaveTextContent(/may be out of date/);
    expect(notice.closest('p')).toHaveTextContent(/changes cannot be saved/);

    stale = false;
    await userEvent.type(screen.getByRole('searchbox'), 'review');
    await screen.findByText('Quarterly review');
    await expect.poll(() => screen.queryByText(/The database is unreachable/)).toBeNull();
  });

  it('stays hidden while the database answers', async () => {
    mockApi({ 'GET /api/interactions': () => page() });
    renderFinder();
    await screen.findByText('Quarterly review');
    expect(screen.queryByText(/The database is unreachable/)).toBeNull();
  });
});
