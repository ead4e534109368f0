import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, json, makeUser, mockApi, renderWithApp } from '../test/utils';
import { AccountPage } from './AccountPage';

const account = () => json({ ...makeUser('editor'), has_password: true });

describe('My account', () => {
  it('signs out everywhere through POST /api/auth/logout-all, then ends this session', async () => {
    const { requests } = mockApi({ 'GET /api/account': account, 'POST /api/auth/logout-all': () => json(null, 204) });
    const { session } = renderWithApp(<AccountPage />);
    await userEvent.click(await screen.findByRole('button', { name: 'Sign out everywhere' }));
    await waitFor(() => expect(session.endSession).toHaveBeenCalled());
    expect(requests.filter((r) => r.url.pathname === '/api/auth/logout-all').map((r) => r.method)).toEqual(['POST']);
  });

  it('keeps the session when signing out everywhere fails', async () => {
    mockApi({ 'GET /api/account': account, 'POST /api/auth/logout-all': () => apiError(503, 'service_unavailable', 'Down') });
    const { session } = renderWithApp(<AccountPage />);
    await userEvent.click(await screen.findByRole('button', { name: 'Sign out everywhere' }));
    expect(await screen.findByText(/server had a problem/)).toBeInTheDocument();
    expect(session.endSession).not.toHaveBeenCalled();
  });

  it('changes the password with the current one and shows a wrong current password on its field', async () => {
    const { requests } = mockApi({
      'GET /api/account': account,
      'POST /api/account/password': () =>
        apiError(422, 'validation_error', 'Some fields are not valid.', { current_password: ['This is not your current password.'] }),
    });
    renderWithApp(<AccountPage />);
    await userEvent.type(await screen.findByLabelText(/^Current password/), 'old-password');
    await userEvent.type(screen.getByLabelText(/^New password/), 'tangerine-Orbit-47');
    await userEvent.type(screen.getByLabelText(/^Confirm new password/), 'tangerine-Orbit-47');
    expect(await screen.findByText(/Strength:/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('This is not your current password.')).toBeInTheDocument();
    expect(requests.find((r) => r.url.pathname === '/api/account/password')?.body).toEqual({
      current_password: 'old-password',
      new_password: 'tangerine-Orbit-47',
    });
  });

  it('saves the default site and reloads the user', async () => {
    const user = makeUser('editor', [{ id: 2, name: 'Field Office', role: 'viewer' }]);
    const { requests } = mockApi({
      'GET /api/account': () => json({ ...user, has_password: true }),
      'PATCH /api/account': (req) => json({ ...user, ...(req.body as object), has_password: true }),
    });
    const { session } = renderWithApp(<AccountPage />, { user });
    await userEvent.selectOptions(await screen.findByLabelText(/^Default site/), 'Field Office');
    await userEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    await waitFor(() => expect(session.refreshUser).toHaveBeenCalled());
    expect(requests.find((r) => r.method === 'PATCH')?.body).toMatchObject({ default_site_id: 2 });
  });
});
