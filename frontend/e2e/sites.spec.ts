// Site context and roles: the admin switches sites without signing in again; a viewer only reads.
import { dataRows, expect, signIn, test } from './helpers';

test('an admin switches site; the list reloads and the choice is remembered', async ({ page }) => {
  await signIn(page, 'admin');
  const site = page.getByLabel('Site');
  await expect(site).toHaveValue(/\d+/);
  await expect(page.locator('.page-subtitle')).toHaveText('Headquarters');
  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByRole('navigation', { name: 'Pagination', exact: true }).locator('.pagination__summary')).toHaveText(/^26–50 of/);
  const hqRow = await page.locator('a[data-row-link]').first().getAttribute('href');

  const request = page.waitForRequest((r) => r.url().includes('/api/interactions?') && r.headers()['x-site-id'] !== undefined);
  await site.selectOption({ label: 'Field Office' });
  const sent = await request;
  await expect(page.locator('.page-subtitle')).toHaveText('Field Office');
  await expect(page).not.toHaveURL(/page=2/);
  await expect(dataRows(page).first()).toBeVisible();
  await expect(page.locator('a[data-row-link]').first()).not.toHaveAttribute('href', hqRow!);
  const fieldOfficeId = sent.headers()['x-site-id'];

  await page.reload();
  await expect(page.locator('.page-subtitle')).toHaveText('Field Office');
  await expect(site).toHaveValue(fieldOfficeId!);
  // An interaction of the other site is not found here.
  await page.goto(hqRow!);
  await expect(page.getByRole('heading', { name: 'Interaction not found' })).toBeVisible();
});

test('a viewer sees interactions read-only', async ({ page }) => {
  await signIn(page, 'viewer');
  await expect(page.getByText('Viewer', { exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: '+ New interaction' })).toHaveCount(0);
  await page.locator('a[data-row-link]').first().click();
  await expect(page.getByRole('heading', { name: 'Interaction' })).toBeVisible();
  await expect(page.getByText(/view-only access/)).toBeVisible();
  await expect(page.getByLabel(/^Title/)).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Delete' })).toHaveCount(0);
  await page.goto('/interactions/new');
  await expect(page.getByRole('heading', { name: 'View-only access' })).toBeVisible();
});
