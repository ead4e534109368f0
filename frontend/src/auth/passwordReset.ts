// Password reset: the form schemas (the API's rules as inline validation) and its errors as sentences.
import { z } from 'zod';
import { isApiError } from '../api/client';
import { MIN_PASSWORD_LENGTH } from '../components/PasswordStrength';
import { humanDuration } from './loginMessages';

export const forgotPasswordSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1, 'Enter your e-mail address.')
    .max(254, 'Use at most 254 characters.')
    .pipe(z.email('Enter a complete e-mail address, like name@example.org.')),
});
export type ForgotPasswordValues = z.input<typeof forgotPasswordSchema>;

export const resetPasswordSchema = z
  .object({
    password: z
      .string()
      .min(1, 'Enter a new password.')
      .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
      .max(256, 'Use at most 256 characters.'),
    confirmation: z.string().min(1, 'Enter the new password again.'),
  })
  .refine((v) => !v.confirmation || v.password === v.confirmation, {
    path: ['confirmation'],
    message: 'The two passwords do not match.',
  });
export type ResetPasswordValues = z.input<typeof resetPasswordSchema>;

/** The link in the e-mail no longer works: wrong, expired (1 hour) or already used. */
export const isInvalidResetLink = (error: unknown) =>
  isApiError(error) && error.status === 400 && typeof error.details === 'object' && error.details !== null && 'token' in error.details;

/** Failures that are not about one field: rate limit, network, server. */
export function resetErrorMessage(error: unknown): string {
  if (!isApiError(error)) return 'Something went wrong. Please try again.';
  if (error.code === 'rate_limited') {
    return error.retryAfter !== null
      ? `Too many requests from this device. Try again in ${humanDuration(error.retryAfter)}.`
      : 'Too many requests from this device. Wait a moment and try again.';
  }
  if (error.code === 'network_error') return 'Cannot reach the server. Check your connection and try again.';
  if (error.status >= 500) return 'The server had a problem handling this request. Please try again in a moment.';
  return error.message;
}
