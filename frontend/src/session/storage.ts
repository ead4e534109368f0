// Where the session and the chosen site survive a reload. "Keep me signed in" puts the session in localStorage
// (it outlives the browser); otherwise it lives in sessionStorage and ends with the browser, and other open
// tabs of the app lend it to a new tab over a BroadcastChannel, so links opened in a new tab stay signed in.
const SESSION_KEY = 'ims.session';
const SITE_KEY = 'ims.site';
const CHANNEL = 'ims.session';

export interface StoredSession {
  token: string;
  expiresAt: number;
  /** Kept on this device (localStorage) rather than for this browser session only. */
  persistent: boolean;
}

function parse(raw: string | null, persistent: boolean, now: number): StoredSession | null {
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<StoredSession>;
    if (typeof parsed.token !== 'string' || typeof parsed.expiresAt !== 'number') return null;
    return parsed.expiresAt > now ? { token: parsed.token, expiresAt: parsed.expiresAt, persistent } : null;
  } catch {
    return null;
  }
}

export function loadSession(now = Date.now()): StoredSession | null {
  return parse(sessionStorage.getItem(SESSION_KEY), false, now) ?? parse(localStorage.getItem(SESSION_KEY), true, now);
}

function store(session: StoredSession) {
  const raw = JSON.stringify({ token: session.token, expiresAt: session.expiresAt });
  (session.persistent ? localStorage : sessionStorage).setItem(SESSION_KEY, raw);
  (session.persistent ? sessionStorage : localStorage).removeItem(SESSION_KEY);
}

export function saveSession(token: string, expiresInSeconds: number, persistent: boolean): StoredSession {
  const session = { token, expiresAt: Date.now() + expiresInSeconds * 1000, persistent };
  store(session);
  return session;
}

export const clearSession = () => {
  localStorage.removeItem(SESSION_KEY);
  sessionStorage.removeItem(SESSION_KEY);
};

type ChannelMessage = { type: 'ask' } | { type: 'session'; session: StoredSession };
const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);

// Answer new tabs with this tab's browser-session login (a kept login they read from localStorage themselves).
channel?.addEventListener('message', (event: MessageEvent<ChannelMessage>) => {
  const session = event.data.type === 'ask' ? loadSession() : null;
  if (session && !session.persistent) channel.postMessage({ type: 'session', session } satisfies ChannelMessage);
});

/**
 * A browser-session login held by another open tab. `onTime` hears the first answer, or null when none comes
 * within `waitMs` (the sign-in page then shows); a busy tab may answer later, and an answer within `lateMs` of
 * the question still goes to `onLate`, kept here only when this tab has no login of its own by then. The
 * returned function stops listening.
 */
export function borrowSession(
  onTime: (session: StoredSession | null) => void,
  onLate: (session: StoredSession) => void,
  { waitMs = 300, lateMs = 10_000 } = {},
): () => void {
  if (!channel) {
    onTime(null);
    return () => undefined;
  }
  let late = false;
  const stop = () => {
    clearTimeout(timer);
    clearTimeout(giveUp);
    channel.removeEventListener('message', onMessage);
  };
  const onMessage = (event: MessageEvent<ChannelMessage>) => {
    if (event.data.type !== 'session' || event.data.session.expiresAt <= Date.now()) return;
    stop();
    if (late && loadSession()) return; // signed in here meanwhile: that login stays
    store(event.data.session);
    if (late) onLate(event.data.session);
    else onTime(event.data.session);
  };
  const timer = setTimeout(() => {
    late = true;
    onTime(null);
  }, waitMs);
  const giveUp = setTimeout(stop, lateMs);
  channel.addEventListener('message', onMessage);
  channel.postMessage({ type: 'ask' } satisfies ChannelMessage);
  return stop;
}

/** The last site per user, so a shared computer does not carry one person's site to another. */
export function loadSiteId(userId: number): number | null {
  const raw = localStorage.getItem(`${SITE_KEY}.${userId}`);
  const n = raw === null ? NaN : Number(raw);
  return Number.isInteger(n) ? n : null;
}

export const saveSiteId = (userId: number, siteId: number) => localStorage.setItem(`${SITE_KEY}.${userId}`, String(siteId));
