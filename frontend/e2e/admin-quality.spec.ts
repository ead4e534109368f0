// Accessibility (axe-core) and the phone layout of every administration, account, invitation and history
// screen, and their screenshots for the README (UPDATE_SCREENSHOTS=1 writes them to docs/screenshots).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import {
  apiToken, bearer, createInteraction, expect, expectNoSeriousA11yViolations, interactionBody, latestMailedToken, signIn, test,
} from './helpers';

const docsScreenshots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
const VIEWPORTS = [
  ['desktop', { width: 1366, height: 900 }],
  ['phone', { width: 390, height: 844 }],
] as const;

async function checkScreen(page: Page, width: number) {
  await expectNoSeriousA11yViolations(page);
  // Nothing may stick out sideways on a phone.
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
}

test('administration, account, invitation and history screens are accessible and fit a phone', async ({ browser, request }, testInfo) => {
  test.slow(); // a dozen screens, each checked by axe twice: minutes on a busy machine
  const shots = process.env.UPDATE_SCREENSHOTS ? docsScreenshots : testInfo.outputPath('screenshots');
  await mkdir(shots, { recursive: true });
  const token = await apiToken(request, 'editor');
  const item = await createInteraction(request, token, { title: 'Supplier onboarding review', notes: 'Agreed the first steps.' });
  await request.put(`/api/interactions/${item.id}`, {
    headers: bearer(token),
    data: interactionBody({ title: 'Supplier onboarding review', lead: 'Priya Raman', location: 'Board room',
                            notes: 'Agreed the first steps and a second review in December.', version: item.version }),
  });
  // Fresh database per run (e2e/run): a fixed address is unique here and reads well in the screenshot.
  const email = 'sam.taylor@example.org';
  const adminToken = await apiToken(request, 'admin');
  const sent = await request.post('/api/site/invitations', { headers: bearer(adminToken), data: { email, role: 'editor' } });
  expect(sent.status()).toBe(201);
  // A member with a long unbroken e-mail address: the phone layout must wrap it, not scroll sideways.
  const longAddress = 'a.very.long.address.for.wrapping.checks@subdomain.example.org';
  const longMail = await request.post('/api/site/invitations', {
    headers: bearer(adminToken),
    data: { email: longAddress, role: 'viewer' },
  });
  expect(longMail.status()).toBe(201);
  let longToken: string | null = null;
  await expect.poll(async () => (longToken = await latestMailedToken(longAddress, 'accept-invitation'))).not.toBeNull();
  const accepted = await request.post('/api/invitations/accept', {
    data: { token: longToken, username: 'averylongusernamewithoutanybreaksatall', display_name: 'Wren Long', password: 'a-long-password-1' },
  });
  expect(accepted.status()).toBe(201);
  let invitation: string | null = null;
  await expect.poll(async () => (invitation = await latestMailedToken(email, 'accept-invitation'))).not.toBeNull();

  for (const [name, viewport] of VIEWPORTS) {
    const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'Europe/London', deviceScaleFactor: name === 'phone' ? 2 : 1 });
    const page = await context.newPage();
    await signIn(page, 'admin', '/admin/members');
    await expect(page.getByLabel('Role of Ada Admin')).toBeVisible();
    await checkScreen(page, viewport.width);
    await page.mouse.move(0, 0);
    if (name === 'phone') await page.getByRole('heading', { name: 'Members', exact: true }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, `members-${name}.png`), fullPage: name === 'desktop' });

    await page.getByRole('link', { name: 'Audit log' }).click();
    await expect(page.getByRole('cell', { name: /Signed in/ }).first()).toBeVisible();
    await checkScreen(page, viewport.width);
    if (name === 'desktop') await page.screenshot({ path: path.join(shots, 'audit-desktop.png') });

    await page.getByRole('link', { name: 'Recently deleted' }).click();
    await expect(page.getByText(/stay here for 30 days/)).toBeVisible();
    await checkScreen(page, viewport.width);

    await page.getByRole('link', { name: 'Site settings' }).click();
    await expect(page.getByLabel(/^Site name/)).toHaveValue('Headquarters');
    await checkScreen(page, viewport.width);

    await page.goto(`/interactions/${item.id}/history`);
    await expect(page.getByRole('heading', { name: 'Version 2 (current)' })).toBeVisible();
    await checkScreen(page, viewport.width);
    if (name === 'desktop') await page.screenshot({ path: path.join(shots, 'history-desktop.png') });

    await page.goto('/account');
    await expect(page.getByLabel(/^Display name/)).toHaveValue('Ada Admin');
    await page.getByLabel(/^New password/).fill('correct horse');
    await expect(page.getByText(/Strength:/)).toBeVisible();
    await checkScreen(page, viewport.width);
    if (name === 'phone') await page.screenshot({ path: path.join(shots, 'account-phone.png'), fullPage: true });

    const signedOut = await context.newPage();
    await signedOut.goto(`/accept-invitation?token=${invitation}`);
    await expect(signedOut.getByRole('heading', { name: 'Join Headquarters' })).toBeVisible();
    await signedOut.getByRole('button', { name: 'Create my account' }).click();
    await expect(signedOut.getByText('Enter the name others will see.')).toBeVisible();
    await checkScreen(signedOut, viewport.width);
    await signedOut.getByLabel('Username').fill('sam.taylor');
    await signedOut.getByLabel('Your name').fill('Sam Taylor');
    await signedOut.getByLabel(/^Password/).fill('harbour lights at dawn');
    await expect(signedOut.getByText(/Strength:/)).toBeVisible();
    await checkScreen(signedOut, viewport.width);
    if (name === 'phone') await signedOut.screenshot({ path: path.join(shots, 'invitation-phone.png'), fullPage: true });
    await context.close();
  }
});
