// Saved views: save the Finder's state, share it, open it from a link as another member, make it the default and see
// it open on return; a modified view offers Save / Save as new / Reset; a view naming a removed column says so.
import type { APIRequestContext, Page } from '@playwright/test';
import { apiToken, bearer, createInteraction, dataRows, expect, expectNoSeriousA11yViolations, signIn, test, unique } from './helpers';

async function headquartersId(request: APIRequestContext, token: string): Promise<number> {
  const response = await request.get('/api/sites', { headers: bearer(token) });
  const sites = ((await response.json()) as { items: { id: number; name: string }[] }).items;
  const hq = sites.find((s) => s.name === 'Headquarters');
  expect(hq).toBeDefined();
  return hq!.id;
}

async function viewIdNamed(request: APIRequestContext, token: string, siteId: number, name: string): Promise<number> {
  const response = await request.get('/api/views', { headers: bearer(token, siteId) });
  const views = ((await response.json()) as { items: { id: number; name: string }[] }).items;
  const view = views.find((v) => v.name === name);
  expect(view, `view ${name}`).toBeDefined();
  return view!.id;
}

const viewsButton = (page: Page) => page.locator('.views-menu__button');
const search = (page: Page) => page.getByRole('searchbox', { name: 'Search interactions' });

test('a shared view opens for another member from its link, becomes their default and opens on return', async ({ page, browser, request }) => {
  const word = unique('views');
  const name = `Calls ${word}`;
  const editorToken = await apiToken(request, 'editor');
  await createInteraction(request, editorToken, { title: `Call ${word}`, type: 'Call' });
  await createInteraction(request, editorToken, { title: `Meeting ${word}`, type: 'Meeting' });

  // The editor narrows the Finder down and saves it, shared with the site.
  await signIn(page, 'editor', `/interactions?search=${word}&type=Call`);
  await expect(dataRows(page)).toHaveCount(1);
  await viewsButton(page).click();
  await expect(page.getByRole('region', { name: 'My views' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.getByRole('button', { name: 'Save current view…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Save the current view' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('checkbox', { name: 'Share with everyone in this site' }).check();
  await expectNoSeriousA11yViolations(page);
  await dialog.getByRole('button', { name: 'Save view' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(viewsButton(page)).toHaveText(`View: ${name}`);

  // A change marks the view modified; Reset brings it back.
  await search(page).fill(`${word} nothing`);
  const modified = page.getByRole('group', { name: `View “${name}” is modified` });
  await expect(modified).toBeVisible();
  await expect(modified.getByRole('button', { name: 'Save as new' })).toBeVisible();
  await modified.getByRole('button', { name: 'Reset' }).click();
  await expect(search(page)).toHaveValue(word);
  await expect(dataRows(page)).toHaveCount(1);
  await expect(modified).toHaveCount(0);

  // Another member opens it from its link.
  const adminToken = await apiToken(request, 'admin');
  const hq = await headquartersId(request, adminToken);
  const id = await viewIdNamed(request, adminToken, hq, name);
  const context = await browser.newContext();
  const other = await context.newPage();
  await signIn(other, 'admin', `/interactions?view=${id}`);
  await expect(viewsButton(other)).toHaveText(`View: ${name}`);
  await expect(search(other)).toHaveValue(word);
  await expect(dataRows(other)).toHaveCount(1);
  await expect(dataRows(other).first()).toContainText(`Call ${word}`);
  await expect(other).not.toHaveURL(/view=/);

  // They make it their default; coming back to the Finder with no query opens it.
  await viewsButton(other).click();
  const shared = other.getByRole('region', { name: 'Shared with the site' });
  await expect(shared.getByRole('button', { name: `Rename: ${name}` })).toBeVisible(); // an admin may rename a shared view
  await shared.getByRole('button', { name: `Make default: ${name}` }).click();
  await expect(shared.getByRole('button', { name: `Unset default: ${name}` })).toBeVisible();
  await other.goto('/interactions');
  await expect(viewsButton(other)).toHaveText(`View: ${name}`);
  await expect(search(other)).toHaveValue(word);
  await expect(other).toHaveURL(new RegExp(`search=${word}`));
  await expect(dataRows(other)).toHaveCount(1);
  await context.close();
  // The admin's Finder as the other tests know it: no default view.
  const cleared = await request.delete('/api/views/default', { headers: bearer(adminToken, hq) });
  expect(cleared.status()).toBe(204);
});

test('a view naming a column that no longer exists opens and says what it dropped; usable at 390 px', async ({ page, request }) => {
  const word = unique('oldview');
  const token = await apiToken(request, 'editor');
  const hq = await headquartersId(request, token);
  await createInteraction(request, token, { title: `Old view ${word}`, notes: `Notes of ${word}` }, hq);
  const created = await request.post('/api/views', {
    headers: bearer(token, hq),
    data: { name: `Old ${word}`, params: { search: word, columns: 'notes,budget_code', tz: 'record' } },
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: number };

  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, 'editor', `/interactions?view=${id}`);
  await expect(page.getByRole('status').filter({ hasText: 'This view’s column ‘budget_code’ no longer exists and was dropped.' })).toBeVisible();
  await expect(search(page)).toHaveValue(word);
  await expect(dataRows(page)).toHaveCount(1);
  await expect(dataRows(page).first().locator('td.col-notes')).toHaveText(`Notes of ${word}`);
  await expect(page.getByLabel('Times in')).toHaveValue('record');

  await viewsButton(page).click();
  const panel = page.locator('.views-menu__panel');
  await expect(panel).toBeVisible();
  const box = await panel.boundingBox();
  expect(box).not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  await expect(page.getByRole('button', { name: `Delete: Old ${word}` })).toBeInViewport();
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expectNoSeriousA11yViolations(page);

  await page.getByRole('button', { name: `Delete: Old ${word}` }).click();
  await page.getByRole('dialog', { name: 'Delete this view?' }).getByRole('button', { name: 'Delete view' }).click();
  await expect(page.getByRole('region', { name: 'My views' }).getByText(`Old ${word}`)).toHaveCount(0);
  await expect(viewsButton(page)).toHaveText('Views');
});
