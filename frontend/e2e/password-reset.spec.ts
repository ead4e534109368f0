// Password reset end to end: request a link, read it from the API's e-mail log, set a password, sign in with it.
import { expect, latestMailedToken, submitSignIn, test, unique } from './helpers';

const EMAIL = 'reset-user@example.com';

const latestResetToken = (email: string) => latestMailedToken(email, 'reset-password');

test('a reset link sets a new password once, on a phone-sized screen', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const before = await latestResetToken(EMAIL);

  await page.goto('/login');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('heading', { name: 'Forgot your password?' })).toBeVisible();
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.getByLabel('E-mail address').fill(EMAIL);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByText(/If an account uses this address, we have sent a link/)).toBeVisible();

  let token: string | null = null;
  await expect
    .poll(async () => {
      token = await latestResetToken(EMAIL);
      return token !== null && token !== before;
    }, { message: 'a reset e-mail in the API log' })
    .toBe(true);
  const link = `/reset-password#token=${token}`;

  await page.goto(link);
  const newPassword = unique('new-password-');
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByLabel('Confirm new password').fill(`${newPassword}x`);
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByText('The two passwords do not match.')).toBeVisible();
  await page.getByLabel('Confirm new password').fill(newPassword);
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByRole('heading', { name: 'Password changed' })).toBeVisible();
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  await page.getByRole('link', { name: 'Sign in' }).click();
  await submitSignIn(page, 'reset-user', { password: newPassword });
  await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByText('You have signed out.')).toBeVisible();

  // The link works once: the same link is refused now, and points to a new one.
  await page.goto(link);
  await page.getByLabel('New password', { exact: true }).fill('another-password-1');
  await page.getByLabel('Confirm new password').fill('another-password-1');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByRole('heading', { name: 'This link does not work' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveText(/invalid, has expired or has already been used/);
  await expect(page.getByRole('link', { name: 'Request a new link' })).toBeVisible();
});
