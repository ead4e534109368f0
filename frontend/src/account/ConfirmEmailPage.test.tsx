import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../App';
import { readConfig } from '../config';
import { apiError, json, mockApi, type FakeRequest } from '../test/utils';

function start(path: string) {
  window.history.replaceState({}, '', path);
  return render(<App config={readConfig({})} />);
}

const confirmations = (requests: FakeRequest[]) => requests.filter((r) => r.url.pathname === '/api/account/email/confirm');

describe('confirming a new e-mail address', () => {
  it('confirms once from the link, signed out, and says which address is now the account’s', async () => {
    let release: () => void = () => undefined;
    const { requests } = mockApi({
      'POST /api/account/email/confirm': () => new Promise((resolve) => (release = () => resolve(json({ email: 'eddie@example.org' })))),
    });
    start('/confirm-email#token=abc_def');
    expect(await screen.findByText('Confirming your new e-mail address…')).toBeInTheDocument();
    await waitFor(() => expect(window.location.href).not.toContain('abc_def')); // out of the address bar and history
    release();
    expect(await screen.findByText(/eddie@example.org is now the e-mail address/)).toHaveAttribute('role', 'status');
    await waitFor(() => expect(screen.getByRole('heading', { name: 'E-mail address changed' })).toHaveFocus());
    expect(confirmations(requests).map((r) => r.body)).toEqual([{ token: 'abc_def' }]);
    await userEvent.click(screen.getByRole('link', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('says an invalid, replaced or used link changed nothing', async () => {
    mockApi({
      'POST /api/account/email/confirm': () =>
        apiError(400, 'bad_request', 'This confirmation link is invalid.', { token: ['Invalid or expired.'] }),
    });
    start('/confirm-email#token=used');
    expect(await screen.findByRole('alert')).toHaveTextContent('has already been used. Your e-mail address is unchanged');
    await waitFor(() => expect(screen.getByRole('heading', { name: 'This link does not work' })).toHaveFocus());
  });

  it('says at once that a link without a token does not work, asking nothing', async () => {
    const { requests } = mockApi({});
    start('/confirm-email');
    expect(await screen.findByRole('heading', { name: 'This link does not work' })).toBeInTheDocument();
    expect(confirmations(requests)).toHaveLength(0);
  });

  it('offers to try again when the server could not be reached', async () => {
    let down = true;
    const { requests } = mockApi({
      'POST /api/account/email/confirm': () => {
        if (down) throw new TypeError('Failed to fetch');
        return json({ email: 'eddie@example.org' });
      },
    });
    start('/confirm-email#token=abc');
    expect(await screen.findByRole('alert')).toHaveTextContent('Cannot reach the server.');
    down = false;
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'E-mail address changed' })).toBeInTheDocument();
    expect(confirmations(requests)).toHaveLength(2);
  });
});
