// E-mail change end to end: asked for on My account with the current password, read from the API's e-mail
// log, confirmed from the new address's link (once), and only then the account's address.
import { expect, latestMailedToken, signIn, test, unique } from './helpers';

const PASSWORD = 'some-password-1';

test('a new e-mail address takes effect only from the link mailed to it, once', async ({ page }) => {
  const newEmail = `${unique('moved')}@example.org`;
  await signIn(page, 'email-user', '/account', { password: PASSWORD });
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible();
  const emailPanel = page.getByRole('region', { name: 'E-mail' });
  await expect(emailPanel.getByText('email-user@example.com')).toBeVisible();

  await emailPanel.getByRole('button', { name: 'Change e-mail' }).click();
  await emailPanel.getByLabel('New e-mail address').fill(newEmail);
  await emailPanel.getByLabel('Current password').fill('not-my-password');
  await emailPanel.getByRole('button', { name: 'Send confirmation link' }).click();
  await expect(emailPanel.getByText('This is not your current password.')).toBeVisible();
  await emailPanel.getByLabel('Current password').fill(PASSWORD);
  await emailPanel.getByRole('button', { name: 'Send confirmation link' }).click();
  await expect(emailPanel.getByText(`We sent a link to ${newEmail}.`, { exact: false })).toBeVisible();
  await expect(emailPanel.getByText('email-user@example.com').first()).toBeVisible(); // unchanged so far

  let token: string | null = null;
  await expect
    .poll(async () => (token = await latestMailedToken(newEmail, 'confirm-email')), { message: 'a confirmation e-mail' })
    .not.toBeNull();
  const link = `/confirm-email#token=${token}`;
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'E-mail address changed' })).toBeVisible();
  await expect(page.getByText(`${newEmail} is now the e-mail address of your account`, { exact: false })).toBeVisible();
  await page.getByRole('link', { name: 'Go to My account' }).click();
  await expect(page.getByRole('region', { name: 'E-mail' }).getByText(newEmail)).toBeVisible();

  await page.goto(link); // single use
  await expect(page.getByRole('heading', { name: 'This link does not work' })).toBeVisible();
});
