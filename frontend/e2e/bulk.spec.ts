// Bulk actions from the Finder: "select all matching" a filter and change the type while another user edits one of the
// matches (reported, and it keeps its edit), the history of a changed record, a bulk delete and its Undo, axe and a
// phone's width, and a viewer who gets no checkboxes.
import type { APIRequestContext, Page } from '@playwright/test';
import { apiToken, bearer, createInteraction, dataRows, expect, expectNoSeriousA11yViolations, readmeScreenshot, signIn, test, unique } from './helpers';

const MATCHES = 12; // more than a page of 10, so "all matching" is more than the page

async function makeMatches(request: APIRequestContext, token: string, lead: string, count: number) {
  const made = [];
  for (let n = 0; n < count; n += 1) {
    made.push(await createInteraction(request, token, { title: `Bulk ${lead} ${String(n).padStart(2, '0')}`, lead, type: 'Meeting' }));
  }
  return made;
}

const bar = (page: Page) => page.getByRole('region', { name: 'Bulk actions' });

test('as an editor: all matching changes type, a record edited meanwhile is reported and kept', async ({ page, request }, testInfo) => {
  const lead = unique('bulklead');
  const adminToken = await apiToken(request, 'admin');
  const [edited, ...rest] = await makeMatches(request, adminToken, lead, MATCHES);
  const outside = await createInteraction(request, adminToken, { title: `Outside ${lead}`, lead: 'Someone Else', type: 'Meeting' });

  await signIn(page, 'editor', `/interactions?lead=${lead}&page_size=10&sort=title`);
  await expect(dataRows(page)).toHaveCount(10);
  await page.getByRole('checkbox', { name: 'Select every row on this page' }).check();
  await expect(bar(page).getByText('10 selected')).toBeVisible();
  await bar(page).getByRole('button', { name: `Select all ${MATCHES} matching` }).click();
  await expect(bar(page).getByText(`All ${MATCHES} records matching selected`)).toBeVisible();
  await readmeScreenshot(page, testInfo, 'bulk-selection.png');

  // Another user edits one of the matches after the selection was made.
  const current = await (await request.get(`/api/interactions/${edited!.id}`, { headers: bearer(adminToken) })).json();
  const { id: _id, site_id: _site, created_at: _c, updated_at: _u, created_by: _cb, updated_by: _ub, ...body } = current;
  const put = await request.put(`/api/interactions/${edited!.id}`, { headers: bearer(adminToken), data: { ...body, location: 'Moved by admin' } });
  expect(put.status()).toBe(200);

  await bar(page).getByLabel('Change type').selectOption('Call');
  const dialog = page.getByRole('dialog', { name: `Change the type of ${MATCHES} records?` });
  await expect(dialog).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await dialog.getByRole('button', { name: `Change ${MATCHES} records` }).click();

  const report = page.getByRole('region', { name: 'Bulk action report' });
  await expect(report.getByText(`Changed ${MATCHES - 1} records. Left alone 1 record that someone else changed`)).toBeVisible();
  await expect(report.getByRole('link', { name: edited!.title })).toHaveAttribute('href', `/interactions/${edited!.id}`);
  await expect(page.locator('#shortcut-announcer')).toContainText(`Changed ${MATCHES - 1} records.`);
  await expectNoSeriousA11yViolations(page);
  await readmeScreenshot(page, testInfo, 'bulk-report.png');

  // The rest changed in the Finder; the edited one kept its type and its edit; the one outside the filter is untouched.
  await page.goto(`/interactions?lead=${lead}&type=Call&page_size=25`);
  await expect(dataRows(page)).toHaveCount(MATCHES - 1);
  const kept = await (await request.get(`/api/interactions/${edited!.id}`, { headers: bearer(adminToken) })).json();
  expect([kept.type, kept.location]).toEqual(['Meeting', 'Moved by admin']);
  const untouched = await (await request.get(`/api/interactions/${outside.id}`, { headers: bearer(adminToken) })).json();
  expect([untouched.type, untouched.version]).toEqual(['Meeting', 1]);

  // A changed record's history shows the change as its own version.
  await page.goto(`/interactions/${rest[0]!.id}/history`);
  await expect(page.getByRole('heading', { name: 'Version 2 (current)' })).toBeVisible();
  const changes = page.locator('.history__changes').first();
  await expect(changes.locator('del')).toHaveText('Meeting');
  await expect(changes.locator('ins')).toHaveText('Call');
});

test('a bulk delete goes with its one Undo, usable at a phone’s width', async ({ page, request }) => {
  const lead = unique('bulkgone');
  const token = await apiToken(request, 'editor');
  await makeMatches(request, token, lead, 3);
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, 'editor', `/interactions?lead=${lead}`);
  await expect(dataRows(page)).toHaveCount(3);
  // Space on a focused row ticks it; the bar then selects the rest of the page.
  await dataRows(page).first().locator('a[data-row-link]').focus();
  await page.keyboard.press('Space');
  await expect(bar(page).getByText('1 selected')).toBeVisible();
  await bar(page).getByRole('button', { name: 'Select the page' }).click();
  await expect(bar(page).getByText('3 selected')).toBeVisible();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  await expectNoSeriousA11yViolations(page);

  await bar(page).getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog', { name: 'Delete 3 records?' }).getByRole('button', { name: 'Delete 3 records' }).click();
  const report = page.getByRole('region', { name: 'Bulk action report' });
  await expect(report.getByText('Deleted 3 records.')).toBeVisible();
  await expect(page.getByText(/No interactions match/)).toBeVisible();
  await report.getByRole('button', { name: 'Undo' }).click();
  await expect(report.getByText('Restored 3 records.')).toBeVisible();
  await expect(dataRows(page)).toHaveCount(3);
  await expect(report.getByRole('button', { name: 'Undo' })).toHaveCount(0);
});

test('a viewer sees no checkboxes and the API refuses bulk actions', async ({ page, request }) => {
  const lead = unique('bulkview');
  const viewerToken = await apiToken(request, 'viewer');
  const me = (await (await request.get('/api/auth/me', { headers: bearer(viewerToken) })).json()) as { default_site_id: number };
  await createInteraction(request, await apiToken(request, 'admin'), { title: `Viewed ${lead}`, lead }, me.default_site_id);
  await signIn(page, 'viewer', `/interactions?lead=${lead}`);
  await expect(dataRows(page)).toHaveCount(1);
  await expect(page.locator('table.finder-table').getByRole('checkbox')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Bulk actions' })).toHaveCount(0);
  const refused = await request.post('/api/bulk/selection', { headers: bearer(viewerToken), data: { query: {} } });
  expect(refused.status()).toBe(403);
});
