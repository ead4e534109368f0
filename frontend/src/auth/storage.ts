// Where the session and the chosen site survive a reload: localStorage, so every tab shares one login.
const SESSION_KEY = 'ims.session';
const SITE_KEY = 'ims.site';

export interface StoredSession {
  token: string;
  expiresAt: number;
}

export function loadSession(now = Date.now()): StoredSession | null {
  try {
    const raw = localStorage.getItem(SESSION_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<StoredSession>;
    if (typeof parsed.token !== 'string' || typeof parsed.expiresAt !== 'number') return null;
    return parsed.expiresAt > now ? { token: parsed.token, expiresAt: parsed.expiresAt } : null;
  } catch {
    return null;
  }
}

export function saveSession(token: string, expiresInSeconds: number): StoredSession {
  const session = { token, expiresAt: Date.now() + expiresInSeconds * 1000 };
  localStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return session;
}

export const clearSession = () => localStorage.removeItem(SESSION_KEY);

/** The last site per user, so a shared computer does not carry one person's site to another. */
export function loadSiteId(userId: number): number | null {
  const raw = localStorage.getItem(`${SITE_KEY}.${userId}`);
  const n = raw === null ? NaN : Number(raw);
  return Number.isInteger(n) ? n : null;
}

export const saveSiteId = (userId: number, siteId: number) => localStorage.setItem(`${SITE_KEY}.${userId}`, String(siteId));
