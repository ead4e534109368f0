import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, json, makeUser, mockApi, renderWithApp } from '../test/utils';
import { AccountPage } from './AccountPage';

const account = () => json({ ...makeUser('editor'), has_password: true, pending_email: null });

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
      'GET /api/account': () => json({ ...user, has_password: true, pending_email: null }),
      'PATCH /api/account': (req) => json({ ...user, ...(req.body as object), has_password: true, pending_email: null }),
    });
    const { session } = renderWithApp(<AccountPage />, { user });
    await userEvent.selectOptions(await screen.findByLabelText(/^Default site/), 'Field Office');
    await userEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    await waitFor(() => expect(session.refreshUser).toHaveBeenCalled());
    expect(requests.find((r) => r.method === 'PATCH')?.body).toEqual({ display_name: 'Eddie Editor', default_site_id: 2 });
  });

  it('asks for a new e-mail address with the current password, then shows it waiting for its link', async () => {
    let pending: string | null = null;
    const { requests } = mockApi({
      'GET /api/account': () => json({ ...makeUser('editor'), has_password: true, pending_email: pending }),
      'POST /api/account/email': (req) => {
        const body = req.body as { current_password: string; new_email: string };
        if (body.current_password !== 'my-password')
          return apiError(422, 'validation_error', 'Some fields are not valid.', { current_password: ['This is not your current password.'] });
        pending = body.new_email;
        return json({ new_email: body.new_email, expires_at: '2026-03-03T09:00:00Z' }, 202);
      },
    });
    renderWithApp(<AccountPage />);
    expect(await screen.findByText('editor@example.com')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Change e-mail' }));
    await userEvent.click(screen.getByRole('button', { name: 'Send confirmation link' }));
    expect(await screen.findByText(/Enter a complete e-mail address/)).toBeInTheDocument();
    expect(requests.filter((r) => r.url.pathname === '/api/account/email')).toHaveLength(0);

    const form = screen.getByRole('form', { name: 'Change e-mail' });
    await userEvent.type(within(form).getByLabelText(/^New e-mail address/), 'eddie@example.org');
    await userEvent.type(within(form).getByLabelText(/^Current password/), 'wrong-password');
    await userEvent.click(screen.getByRole('button', { name: 'Send confirmation link' }));
    expect(await screen.findByText('This is not your current password.')).toBeInTheDocument();

    await userEvent.clear(within(form).getByLabelText(/^Current password/));
    await userEvent.type(within(form).getByLabelText(/^Current password/), 'my-password');
    await userEvent.click(screen.getByRole('button', { name: 'Send confirmation link' }));
    expect(await screen.findByText(/We sent a link to eddie@example.org\./)).toHaveAttribute('role', 'status');
    expect(screen.getByText('editor@example.com')).toBeInTheDocument(); // unchanged until the link is opened
    expect(screen.queryByRole('form', { name: 'Change e-mail' })).not.toBeInTheDocument();
    expect(requests.filter((r) => r.url.pathname === '/api/account/email').at(-1)?.body).toEqual({
      current_password: 'my-password',
      new_email: 'eddie@example.org',
    });
  });

  it('offers no e-mail change when the identity provider manages the address', async () => {
    mockApi({ 'GET /api/account': () => json({ ...makeUser('editor'), has_password: false, pending_email: null }) });
    renderWithApp(<AccountPage />);
    expect(await screen.findByText(/e-mail address is managed by your organisation/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Change e-mail' })).not.toBeInTheDocument();
  });
});
