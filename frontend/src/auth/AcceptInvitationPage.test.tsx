import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../App';
import { readConfig } from '../config';
import type { InvitationPreview } from '../api/types';
import { json, makeUser, mockApi } from '../test/utils';

const preview = (overrides: Partial<InvitationPreview> = {}): InvitationPreview => ({
  email: 'Editor@Example.com',
  role: 'viewer',
  site_name: 'Field Office',
  invited_by: 'Ada Admin',
  expires_at: '2026-12-01T10:00:00Z',
  auth_mode: 'local',
  existing_account: true,
  ...overrides,
});
const loginOk = () => json({ access_token: 'tok', token_type: 'Bearer', expires_in: 86400, user: makeUser() });
const joined = () => json({ site_id: 2, site_name: 'Field Office', role: 'viewer' });

function start(path: string) {
  window.history.replaceState({}, '', path);
  return render(<App config={readConfig({})} />);
}

describe('an invitation to an address that has an account', () => {
  it('signs in, comes back and joins with that account; the token never enters an address', async () => {
    const { requests } = mockApi({
      'POST /api/invitations/lookup': () => json(preview()),
      'POST /api/auth/login': loginOk,
      'POST /api/invitations/accept-signed-in': joined,
      'GET /api/auth/me': () => json(makeUser()),
    });
    start('/accept-invitation#token=tok-1');
    expect(await screen.findByRole('heading', { name: 'Join Field Office' })).toBeInTheDocument();
    expect(screen.queryByLabelText('Username')).not.toBeInTheDocument(); // no new account offered
    await userEvent.click(screen.getByRole('button', { name: 'Sign in to accept' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(window.location.href).not.toContain('tok-1');
    await userEvent.type(screen.getByLabelText('Username'), 'editor');
    await userEvent.type(screen.getByLabelText('Password'), 'demo-password');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Accept invitation' }));
    expect(await screen.findByRole('heading', { name: 'Welcome to Field Office' })).toBeInTheDocument();
    expect(screen.getByText('You have joined Field Office as viewer.')).toBeInTheDocument();
    const accept = requests.find((r) => r.url.pathname === '/api/invitations/accept-signed-in')!;
    expect(accept.body).toEqual({ token: 'tok-1' });
    expect(accept.headers.get('Authorization')).toBe('Bearer tok');
    expect(accept.headers.get('X-Site-ID')).toBeNull();
    expect(sessionStorage.getItem('ims.invitation')).toBeNull();
  });

  it('asks another signed-in account to sign out first and accepts nothing', async () => {
    localStorage.setItem('ims.session', JSON.stringify({ token: 'tok', expiresAt: Date.now() + 60_000 }));
    const { requests } = mockApi({
      'POST /api/invitations/lookup': () => json(preview({ email: 'someone.else@example.org' })),
      'GET /api/auth/me': () => json(makeUser()),
    });
    start('/accept-invitation#token=tok-2');
    expect(await screen.findByRole('alert')).toHaveTextContent('this invitation is for someone.else@example.org');
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeInTheDocument();
    expect(requests.some((r) => r.url.pathname === '/api/invitations/accept-signed-in')).toBe(false);
    localStorage.clear();
  });
});
