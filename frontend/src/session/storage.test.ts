import { afterEach, describe, expect, it, vi } from 'vitest';
import { borrowSession, loadSession, saveSession, type StoredSession } from './storage';

const lent: StoredSession = { token: 'lent-token', expiresAt: Date.now() + 60_000, persistent: false };

/** Another open tab of the app, answering a new tab's question after `delayMs`. */
function otherTab(delayMs: number) {
  const channel = new BroadcastChannel('ims.session');
  channel.onmessage = (event: MessageEvent<{ type: string }>) => {
    if (event.data.type === 'ask') setTimeout(() => channel.postMessage({ type: 'session', session: lent }), delayMs);
  };
  return channel;
}

describe('borrowing a login from another tab', () => {
  let tab: BroadcastChannel | null = null;
  afterEach(() => {
    tab?.close();
    sessionStorage.clear();
    localStorage.clear();
  });

  it('shows the sign-in page when no tab answers in time, and still signs in with a busy tab’s late answer', async () => {
    tab = otherTab(150);
    const onTime = vi.fn();
    const onLate = vi.fn();
    borrowSession(onTime, onLate, { waitMs: 20, lateMs: 5_000 });
    await vi.waitFor(() => expect(onLate).toHaveBeenCalledWith(lent));
    expect(onTime).toHaveBeenCalledExactlyOnceWith(null);
    expect(loadSession()?.token).toBe('lent-token');
  });

  it('keeps a login made in this tab meanwhile over a late answer', async () => {
    tab = otherTab(150);
    const onTime = vi.fn();
    const onLate = vi.fn();
    borrowSession(onTime, onLate, { waitMs: 20, lateMs: 5_000 });
    await vi.waitFor(() => expect(onTime).toHaveBeenCalledWith(null));
    saveSession('own-token', 60, false);
    // A third listener hears the late answer go by: by then this tab has heard it too.
    const bystander = new BroadcastChannel('ims.session');
    const answered = new Promise((resolve) => (bystander.onmessage = resolve));
    await answered;
    bystander.close();
    await vi.waitFor(() => expect(loadSession()?.token).toBeDefined());
    expect(onLate).not.toHaveBeenCalled();
    expect(loadSession()?.token).toBe('own-token');
  });
});
