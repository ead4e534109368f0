import { screen, waitFor } from '@testing-library/react';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../App';
import { readConfig } from '../config';
import { apiError, json, makeInteraction, makeUser, mockApi } from '../test/utils';

const list = () => json({ items: [makeInteraction()], page: 1, page_size: 25, total: 1, pages: 1, total_exact: true });
const loginOk = () => json({ access_token: 'tok', token_type: 'Bearer', expires_in: 86400, user: makeUser() });

function start(path: string) {
  window.history.replaceState({}, '', path);
  return render(<App config={readConfig({})} />);
}

describe('signing in', () => {
  it('sends a signed-out visitor to login and back to the same view afterwards', async () => {
    const { requests } = mockApi({ 'POST /api/auth/login': loginOk, 'GET /api/interactions': list });
    start('/interactions?search=budget');
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/login');
    await userEvent.type(screen.getByLabelText('Username'), 'editor');
    await userEvent.type(screen.getByLabelText('Password'), 'demo-password');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Quarterly review')).toBeInTheDocument();
    expect(window.location.pathname + window.location.search).toBe('/interactions?search=budget');
    const finderCall = requests.find((r) => r.url.pathname === '/api/interactions')!;
    expect(finderCall.headers.get('Authorization')).toBe('Bearer tok');
  });

  it('tells a locked user how long to wait', async () => {
    mockApi({
      'POST /api/auth/login': () =>
        apiError(423, 'account_locked', 'Account locked', { retry_after: 840 }, { 'Retry-After': '840' }),
    });
    start('/login');
    await userEvent.type(await screen.findByLabelText('Username'), 'viewer');
    await userEvent.type(screen.getByLabelText('Password'), 'wrong');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Try again in 14 minutes, or reset your password');
  });

  it('reports wrong credentials and a server that cannot be reached', async () => {
    let down = false;
    mockApi({
      'POST /api/auth/login': () => {
        if (down) throw new TypeError('Failed to fetch');
        return apiError(401, 'invalid_credentials', 'Invalid username or password');
      },
    });
    start('/login');
    await userEvent.type(await screen.findByLabelText('Username'), 'editor');
    await userEvent.type(screen.getByLabelText('Password'), 'nope');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The username or password is not correct.');
    down = true;
    await userEvent.type(screen.getByLabelText('Password'), 'nope');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('Cannot reach the server.'));
  });

  it('returns to login when the API rejects the token, then back to where the user was', async () => {
    localStorage.setItem('ims.session', JSON.stringify({ token: 'old', expiresAt: Date.now() + 60_000 }));
    mockApi({
      'GET /api/auth/me': () => json(makeUser()),
      'GET /api/interactions': (req) =>
        req.headers.get('Authorization') === 'Bearer old' ? apiError(401, 'unauthorized', 'Token revoked') : list(),
      'POST /api/auth/login': loginOk,
    });
    start('/interactions?type=Call');
    expect(await screen.findByText(/Your session has ended/)).toBeInTheDocument();
    expect(new URLSearchParams(window.location.search).get('next')).toBe('/interactions?type=Call');
    await userEvent.type(screen.getByLabelText('Username'), 'editor');
    await userEvent.type(screen.getByLabelText('Password'), 'demo-password');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Quarterly review')).toBeInTheDocument();
    expect(window.location.search).toBe('?type=Call');
  });

  it('keeps the session for this browser session only, unless asked to keep it on this device', async () => {
    mockApi({ 'POST /api/auth/login': loginOk, 'GET /api/interactions': list });
    const first = start('/login');
    await userEvent.type(await screen.findByLabelText('Username'), 'editor');
    await userEvent.type(screen.getByLabelText('Password'), 'demo-password');
    expect(screen.getByRole('checkbox', { name: 'Keep me signed in on this device' })).not.toBeChecked();
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Quarterly review')).toBeInTheDocument();
    expect(sessionStorage.getItem('ims.session')).toContain('"token":"tok"');
    expect(localStorage.getItem('ims.session')).toBeNull();
    first.unmount();
    sessionStorage.clear();

    start('/login');
    await userEvent.type(await screen.findByLabelText('Username'), 'editor');
    await userEvent.type(screen.getByLabelText('Password'), 'demo-password');
    await userEvent.click(screen.getByRole('checkbox', { name: 'Keep me signed in on this device' }));
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Quarterly review')).toBeInTheDocument();
    expect(localStorage.getItem('ims.session')).toContain('"token":"tok"');
    expect(sessionStorage.getItem('ims.session')).toBeNull();
  });
});

describe('signing out', () => {
  function signedIn(handlers: Parameters<typeof mockApi>[0]) {
    localStorage.setItem('ims.session', JSON.stringify({ token: 'tok', expiresAt: Date.now() + 60_000 }));
    const api = mockApi({ 'GET /api/auth/me': () => json(makeUser()), 'GET /api/interactions': list, ...handlers });
    start('/interactions');
    return api;
  }

  it('says "signed out" only when the server revoked the session', async () => {
    signedIn({ 'POST /api/auth/logout': () => json(null, 204) });
    await userEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByText('You have signed out.')).toHaveAttribute('role', 'status');
  });

  it('does not claim a sign-out the server could not confirm', async () => {
    signedIn({ 'POST /api/auth/logout': () => apiError(503, 'service_unavailable', 'Could not sign out') });
    await userEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('the server could not be reached to end it');
    expect(screen.queryByText('You have signed out.')).not.toBeInTheDocument();
    expect(localStorage.getItem('ims.session')).toBeNull(); // this browser forgets it either way
  });

  it('signs out everywhere through the API', async () => {
    const { requests } = signedIn({ 'POST /api/auth/logout-all': () => json(null, 204) });
    await userEvent.click(await screen.findByRole('button', { name: 'Sign out everywhere' }));
    expect(await screen.findByText('You have signed out on every device.')).toHaveAttribute('role', 'status');
    const call = requests.find((r) => r.url.pathname === '/api/auth/logout-all')!;
    expect(call.headers.get('Authorization')).toBe('Bearer tok');
  });
});
