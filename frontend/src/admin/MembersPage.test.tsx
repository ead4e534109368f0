import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Member } from '../api/types';
import { json, makeUser, mockApi, renderWithApp } from '../test/utils';
import { MembersPage } from './MembersPage';

const member = (over: Partial<Member>): Member => ({
  user_id: 1, username: 'x', display_name: 'X', email: 'x@example.com', role: 'viewer', last_login_at: null,
  is_active: true, locked: false, locked_until: null, auth: 'local', account_wide: true, ...over,
});
const me = member({ user_id: 7, username: 'editor', display_name: 'Eddie Editor', role: 'admin' });
const locked = member({ user_id: 8, username: 'lou', display_name: 'Lou Locked', locked: true });
const shared = member({ user_id: 9, username: 'sam', display_name: 'Sam Shared', locked: true, account_wide: false });
const page = (items: Member[]) => json({ items, page: 1, page_size: 25, total: items.length, pages: 1 });

function setup() {
  const api = mockApi({
    'GET /api/site/members': () => page([me, locked, shared]),
    'GET /api/site/invitations': () => json({ items: [] }),
    'PATCH /api/site/members/:id': (req) => json({ ...me, role: (req.body as { role: Member['role'] }).role }),
    'POST /api/site/members/8/unlock': () => json({ ...locked, locked: false }),
    'POST /api/site/invitations': (req) =>
      json({ id: 3, ...(req.body as object), invited_by: null, created_at: '2026-03-02T09:00:00Z', expires_at: '2026-03-09T09:00:00Z' }, 201),
  });
  renderWithApp(<MembersPage />, { user: makeUser('admin') });
  return api;
}

describe('Members', () => {
  it('lists members with their state and unlocks a locked one', async () => {
    const { requests } = setup();
    const row = (await screen.findByText('Lou Locked')).closest('tr') as HTMLElement;
    expect(within(row).getByText('Locked')).toBeInTheDocument();
    await userEvent.click(within(row).getByRole('button', { name: 'Unlock' }));
    await waitFor(() => expect(requests.some((r) => r.url.pathname === '/api/site/members/8/unlock')).toBe(true));
  });

  it('offers powers over an account only to an admin of every site of the person', async () => {
    setup();
    const row = (await screen.findByText('Sam Shared')).closest('tr') as HTMLElement;
    expect(within(row).getByText('Locked')).toBeInTheDocument();
    expect(within(row).getByText('Also in sites you don’t administer')).toBeInTheDocument();
    for (const name of ['Unlock', 'Send reset link', 'Deactivate']) {
      expect(within(row).queryByRole('button', { name })).not.toBeInTheDocument();
    }
    expect(within(row).getByRole('button', { name: 'Remove' })).toBeInTheDocument(); // the membership here is theirs
  });

  it('asks before an admin demotes themselves and then sends confirm_self', async () => {
    const { requests } = setup();
    await userEvent.selectOptions(await screen.findByLabelText('Role of Eddie Editor'), 'editor');
    const dialog = await screen.findByRole('dialog', { name: 'Change your own role?' });
    expect(requests.some((r) => r.method === 'PATCH')).toBe(false);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Change my role' }));
    await waitFor(() => expect(requests.find((r) => r.method === 'PATCH')?.body).toEqual({ role: 'editor', confirm_self: true }));
  });

  it('adds someone by inviting their e-mail address, and says they join once they accept', async () => {
    const { requests } = setup();
    expect(await screen.findByRole('heading', { name: 'Add someone' })).toBeInTheDocument();
    expect(screen.getByText(/Everyone joins by invitation, including people who already have an account/)).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('E-mail address'), 'sam@example.org');
    await userEvent.click(screen.getByRole('button', { name: 'Send invitation' }));
    expect(await screen.findByText(/Invitation sent to sam@example.org: they join .* as editor once they accept it/)).toBeInTheDocument();
    expect(requests.filter((r) => r.method === 'POST').map((r) => [r.url.pathname, r.body])).toEqual([
      ['/api/site/invitations', { email: 'sam@example.org', role: 'editor' }],
    ]);
  });

  it('sends the search to the API after a pause', async () => {
    const { requests } = setup();
    await userEvent.type(await screen.findByLabelText('Search members'), 'lou');
    await waitFor(() => expect(requests.some((r) => r.url.searchParams.get('search') === 'lou')).toBe(true));
  });
});
