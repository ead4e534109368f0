// Turns a failed sign-in into a sentence the user can act on.
import { isApiError } from '../api/client';

export function humanDuration(seconds: number): string {
  if (seconds < 60) {
    const s = Math.max(1, Math.ceil(seconds));
    return `${s} second${s === 1 ? '' : 's'}`;
  }
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.ceil(minutes / 60);
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}

export function loginErrorMessage(error: unknown): string {
  if (!isApiError(error)) return 'Something went wrong. Please try again.';
  const wait = error.retryAfter !== null ? humanDuration(error.retryAfter) : null;
  switch (error.code) {
    case 'invalid_credentials':
      return 'The username or password is not correct. Check both and try again.';
    case 'account_locked':
      // A lock set by strangers must not keep the owner out: a reset link always works and lifts it.
      return wait
        ? `This account is locked after too many failed attempts. Try again in ${wait}, or reset your password to sign in now.`
        : 'This account is locked after too many failed attempts. Try again later, or reset your password to sign in now.';
    case 'rate_limited':
      return wait
        ? `Too many sign-in attempts from this device. Try again in ${wait}.`
        : 'Too many sign-in attempts from this device. Wait a moment and try again.';
    case 'validation_error':
      return 'Enter both your username and your password.';
    case 'network_error':
      return 'Cannot reach the server. Check your connection and try again.';
    default:
      return error.status >= 500
        ? 'The server had a problem signing you in. Please try again in a moment.'
        : error.message;
  }
}

/** Only same-app paths are followed after sign-in, never another origin. Browsers read `\` as `/` and
 * drop tabs and newlines in URLs, so `/\evil.example` or `/\t/evil.example` would mean `//evil.example`:
 * any backslash or control character is refused, and the result must resolve to this origin. */
export function safeNextPath(next: string | null): string {
  const fallback = '/interactions';
  // eslint-disable-next-line no-control-regex
  if (!next || !next.startsWith('/') || next.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, window.location.origin);
  } catch {
    return fallback;
  }
  if (url.origin !== window.location.origin || url.pathname.startsWith('/login')) return fallback;
  return url.pathname + url.search + url.hash;
}
