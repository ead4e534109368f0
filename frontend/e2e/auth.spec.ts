// Signing in and out, the messages on failure, the return to a deep link, and the lockout message.
import { bearer, expect, PASSWORD, signIn, submitSignIn, test } from './helpers';

test('wrong password is explained, then signing in returns to the requested view', async ({ page }) => {
  await page.goto('/interactions?type=Call&sort=title');
  await expect(page).toHaveURL(/\/login\?next=/);
  await submitSignIn(page, 'editor', { password: 'not-the-password' });
  await expect(page.getByRole('alert')).toHaveText(/username or password is not correct/);

  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/interactions\?type=Call&sort=title$/);
  await expect(page.getByRole('checkbox', { name: 'Call' })).toBeChecked();
  await expect(page.getByText('Eddie Editor', { exact: false })).toBeVisible();
});

test('signing out ends the session for good', async ({ page }) => {
  await signIn(page, 'editor');
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByText('You have signed out.')).toBeVisible();
  await page.goto('/interactions');
  await expect(page).toHaveURL(/\/login/);
});

test('a revoked token sends the user to login and back to where they were', async ({ page, context }) => {
  await signIn(page, 'editor', '/interactions?search=review');
  const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('ims.session') ?? '{}').token as string);
  // Revoke the token behind the page's back, as an expiry or an admin would.
  const revoke = await context.request.post('/api/auth/logout', { headers: bearer(token) });
  expect(revoke.status()).toBe(204);
  // The next request finds out: a click that asks the API, unless a background refresh (the window's focus)
  // got there first and the page already says so.
  const ended = page.getByText(/Your session has ended/);
  await expect(async () => {
    if (!(await ended.isVisible())) await page.getByRole('button', { name: /^Title/ }).click({ timeout: 1_000 });
    await expect(ended).toBeVisible({ timeout: 1_000 });
  }).toPass();
  await submitSignIn(page, 'editor');
  await expect(page).toHaveURL(/\/interactions\?search=review/);
});

test('a locked account is told how long to wait', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Username').fill('locked-user');
  for (let attempt = 0; attempt < 5; attempt++) {
    await page.getByLabel('Password').fill(`wrong-${attempt}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  }
  await page.getByLabel('Password').fill('some-password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText(/locked after too many failed attempts\. Try again in 1[45] minutes, or reset your password/);
});
