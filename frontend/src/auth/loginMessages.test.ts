import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { humanDuration, loginErrorMessage, safeNextPath } from './loginMessages';

describe('sign-in messages', () => {
  it('says the credentials are wrong without saying which', () => {
    expect(loginErrorMessage(new ApiError(401, 'invalid_credentials', 'x'))).toMatch(/username or password is not correct/);
  });

  it('tells a locked user how long to wait, and that a reset gets them in now', () => {
    const locked = new ApiError(423, 'account_locked', 'Locked', { retry_after: 14 * 60 - 5 }, 835);
    expect(loginErrorMessage(locked)).toBe(
      'This account is locked after too many failed attempts. Try again in 14 minutes, or reset your password to sign in now.',
    );
  });

  it('explains rate limiting and network failure', () => {
    expect(loginErrorMessage(new ApiError(429, 'rate_limited', 'x', null, 30))).toMatch(/Try again in 30 seconds/);
    expect(loginErrorMessage(new ApiError(0, 'network_error', 'x'))).toMatch(/Cannot reach the server/);
  });

  it('rounds waits up to whole units', () => {
    expect(humanDuration(1)).toBe('1 second');
    expect(humanDuration(61)).toBe('2 minutes');
    expect(humanDuration(3540)).toBe('59 minutes');
    expect(humanDuration(3600)).toBe('1 hour');
    expect(humanDuration(3601)).toBe('2 hours');
  });

  it('returns only to paths inside the app', () => {
    expect(safeNextPath('/interactions?search=a')).toBe('/interactions?search=a');
    expect(safeNextPath('//evil.example')).toBe('/interactions');
    expect(safeNextPath('https://evil.example')).toBe('/interactions');
    expect(safeNextPath('/login?next=/x')).toBe('/interactions');
    expect(safeNextPath(null)).toBe('/interactions');
    for (const hostile of ['/\\evil.example', '/\\/evil.example', '/\t/evil.example', '/\n/evil.example']) {
      expect(safeNextPath(hostile)).toBe('/interactions');
    }
    expect(safeNextPath('/interactions/12#notes')).toBe('/interactions/12#notes');
  });
});
