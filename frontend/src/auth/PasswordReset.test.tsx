import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router-dom';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../App';
import { readConfig } from '../config';
import { apiError, json, mockApi } from '../test/utils';
import { RESET_LINK_SENT } from './ForgotPasswordPage';
import { LoginPage } from './LoginPage';
import { SessionContext, type SessionValue } from '../session/SessionContext';

function start(path: string) {
  window.history.replaceState({}, '', path);
  return render(<App config={readConfig({})} />);
}

const accepted = () => json({}, 202);

async function requestLink(email: string) {
  const input = await screen.findByLabelText('E-mail address');
  await userEvent.clear(input);
  await userEvent.type(input, email);
  await userEvent.click(screen.getByRole('button', { name: 'Send the link' }));
}

async function choosePassword(password: string, confirmation = password) {
  await userEvent.type(await screen.findByLabelText('New password'), password);
  await userEvent.type(screen.getByLabelText('Confirm new password'), confirmation);
  await userEvent.click(screen.getByRole('button', { name: 'Set new password' }));
}

describe('forgotten password', () => {
  it('is linked from the sign-in page and back', async () => {
    mockApi({});
    start('/login');
    await userEvent.click(await screen.findByRole('link', { name: 'Forgot your password?' }));
    expect(await screen.findByRole('heading', { name: 'Forgot your password?' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText('E-mail address')).toHaveFocus());
    await userEvent.click(screen.getByRole('link', { name: 'Back to sign in' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('has no link to it when Auth0 manages passwords', () => {
    const session: SessionValue = {
      mode: 'auth0',
      status: 'signed-out',
      user: null,
      signOutReason: null,
      signIn: vi.fn(),
      signInWithRedirect: vi.fn(),
      signOut: vi.fn(),
      signOutEverywhere: vi.fn(),
      refreshUser: vi.fn(),
      endSession: vi.fn(),
    };
    const router = createMemoryRouter([{ path: '/login', element: <LoginPage /> }], { initialEntries: ['/login'] });
    render(
      <SessionContext.Provider value={session}>
        <RouterProvider router={router} />
      </SessionContext.Provider>,
    );
    expect(screen.getByRole('button', { name: 'Sign in with your organisation account' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Forgot your password?' })).not.toBeInTheDocument();
  });

  it('checks the address before asking the server', async () => {
    const { requests } = mockApi({ 'POST /api/auth/password-reset': accepted });
    start('/forgot-password');
    await userEvent.click(await screen.findByRole('button', { name: 'Send the link' }));
    expect(await screen.findByText('Enter your e-mail address.')).toBeInTheDocument();
    await requestLink('not-an-address');
    expect(await screen.findByText(/Enter a complete e-mail address/)).toBeInTheDocument();
    expect(screen.getByLabelText('E-mail address')).toHaveAttribute('aria-invalid', 'true');
    expect(requests).toHaveLength(0);
  });

  it('gives the same confirmation whatever the address', async () => {
    const { requests } = mockApi({ 'POST /api/auth/password-reset': accepted });
    const confirmations: string[] = [];
    for (const email of ['editor@example.com', 'nobody@example.org']) {
      const { unmount } = start('/forgot-password');
      await requestLink(email);
      const notice = await screen.findByText(/If an account uses this address/);
      expect(notice).toHaveAttribute('role', 'status');
      confirmations.push(notice.textContent ?? '');
      await waitFor(() => expect(screen.getByRole('heading', { name: 'Check your e-mail' })).toHaveFocus());
      unmount();
    }
    expect(confirmations[0]).toBe(RESET_LINK_SENT);
    expect(confirmations[1]).toBe(confirmations[0]);
    expect(requests.map((r) => r.body)).toEqual([{ email: 'editor@example.com' }, { email: 'nobody@example.org' }]);
  });

  it('explains a rate limit and an unreachable server', async () => {
    let down = false;
    mockApi({
      'POST /api/auth/password-reset': () => {
        if (down) throw new TypeError('Failed to fetch');
        return apiError(429, 'rate_limited', 'Too many requests', null, { 'Retry-After': '90' });
      },
    });
    start('/forgot-password');
    await requestLink('editor@example.com');
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many requests from this device. Try again in 2 minutes.');
    expect(screen.getByRole('button', { name: 'Send the link' })).toBeEnabled();
    down = true;
    await userEvent.click(screen.getByRole('button', { name: 'Send the link' }));
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('Cannot reach the server.'));
  });
});

describe('choosing a new password', () => {
  it('sets the password from the link, then offers to sign in', async () => {
    let release: () => void = () => undefined;
    const { requests } = mockApi({
      'POST /api/auth/password-reset/confirm': () => new Promise((resolve) => (release = () => resolve(json(null, 204)))),
    });
    start('/reset-password#token=abc.def');
    await waitFor(() => expect(window.location.href).not.toContain('abc.def')); // out of the address bar and history
    await choosePassword('a-long-new-password');
    expect(await screen.findByRole('button', { name: 'Saving…' })).toBeDisabled();
    release();
    expect(await screen.findByText(/Your new password is set\./)).toHaveAttribute('role', 'status');
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Password changed' })).toHaveFocus());
    expect(requests[0]!.body).toEqual({ token: 'abc.def', password: 'a-long-new-password' });
    await userEvent.click(screen.getByRole('link', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('checks length and that both entries match before sending', async () => {
    const { requests } = mockApi({ 'POST /api/auth/password-reset/confirm': () => json(null, 204) });
    start('/reset-password?token=abc');
    await choosePassword('short', 'short');
    expect(await screen.findByText('Use at least 10 characters.')).toBeInTheDocument();
    const password = screen.getByLabelText('New password');
    expect(password).toHaveAttribute('aria-invalid', 'true');
    await waitFor(() => expect(password).toHaveFocus());

    await userEvent.clear(password);
    await userEvent.type(password, 'a-long-new-password');
    const confirmation = screen.getByLabelText('Confirm new password');
    await userEvent.clear(confirmation);
    await userEvent.type(confirmation, 'a-long-other-password');
    await userEvent.click(screen.getByRole('button', { name: 'Set new password' }));
    expect(await screen.findByText('The two passwords do not match.')).toBeInTheDocument();
    expect(confirmation).toHaveAttribute('aria-invalid', 'true');
    expect(requests).toHaveLength(0);

    // Fixing the first entry clears the mismatch at once.
    await userEvent.clear(password);
    await userEvent.type(password, 'a-long-other-password');
    await waitFor(() => expect(screen.queryByText('The two passwords do not match.')).not.toBeInTheDocument());
  });

  it('sends an invalid, expired or used link to request a new one', async () => {
    mockApi({
      'POST /api/auth/password-reset/confirm': () =>
        apiError(400, 'bad_request', 'This reset link is invalid or has expired; ask for a new one.', {
          token: ['Invalid or expired.'],
        }),
      'POST /api/auth/password-reset': accepted,
    });
    start('/reset-password#token=used');
    await choosePassword('a-long-new-password');
    expect(await screen.findByRole('alert')).toHaveTextContent('invalid, has expired or has already been used');
    await waitFor(() => expect(screen.getByRole('heading', { name: 'This link does not work' })).toHaveFocus());
    await userEvent.click(screen.getByRole('link', { name: 'Request a new link' }));
    expect(await screen.findByRole('heading', { name: 'Forgot your password?' })).toBeInTheDocument();
  });

  it('says at once that a link without a token does not work', async () => {
    mockApi({});
    start('/reset-password');
    expect(await screen.findByRole('heading', { name: 'This link does not work' })).toBeInTheDocument();
    expect(screen.queryByLabelText('New password')).not.toBeInTheDocument();
  });

  it('puts the server’s password rules on the field', async () => {
    mockApi({
      'POST /api/auth/password-reset/confirm': () =>
        apiError(422, 'validation_error', 'Invalid input', { password: ['This password is too common.'] }),
    });
    start('/reset-password?token=abc');
    await choosePassword('password123');
    expect(await screen.findByText('This password is too common.')).toBeInTheDocument();
    const password = screen.getByLabelText('New password');
    expect(password).toHaveAttribute('aria-invalid', 'true');
    expect(password).toHaveAccessibleDescription(/This password is too common\./);
    await waitFor(() => expect(password).toHaveFocus());
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
