// The form's flow around saving: drafts across a reload, toasts clear of the fields, who caused a conflict,
// the way back after a delete, and "keep me signed in".
import { apiToken, bearer, createInteraction, dataRows, expect, signIn, test, unique } from './helpers';

const draftKeys = (page: import('@playwright/test').Page) =>
  page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('ims.draft.')));

test('a new interaction’s draft survives a reload, is restored on request and removed once saved', async ({ page }) => {
  const title = unique('Draft ');
  await signIn(page, 'editor', '/interactions/new');
  await page.getByLabel(/^Title/).fill(title);
  await page.getByLabel(/^Notes/).fill('Typed before the crash');
  await expect.poll(() => draftKeys(page)).toHaveLength(1);
  // The unsaved-changes guard asks the browser before a reload; say yes, as a user would.
  page.on('dialog', (dialog) => void dialog.accept());
  await page.reload();
  const offer = page.getByRole('region', { name: 'Unsaved draft' });
  await expect(offer).toBeVisible();
  await expect(page.getByLabel(/^Title/)).toHaveValue('');
  await offer.getByRole('button', { name: 'Restore draft' }).click();
  await expect(page.getByLabel(/^Title/)).toHaveValue(title);
  await expect(page.getByLabel(/^Notes/)).toHaveValue('Typed before the crash');
  await page.getByLabel(/^Type/).selectOption('Visit');
  await page.getByLabel(/^Lead/).fill('Draft Lead');
  await page.getByLabel(/^Start/).fill('2026-06-01T09:00');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page).toHaveURL(/\/interactions(\?|$)/);
  await expect.poll(() => draftKeys(page)).toEqual([]);
  await page.goto('/interactions/new');
  await expect(page.getByLabel(/^Title/)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Unsaved draft' })).toHaveCount(0);
});

test('an edit’s draft can be discarded, leaving the saved record as it was', async ({ page, request }) => {
  const token = await apiToken(request, 'editor');
  const created = await createInteraction(request, token, { title: unique('Edit draft '), notes: 'Saved notes' });
  await signIn(page, 'editor', `/interactions/${created.id}`);
  await page.getByLabel(/^Notes/).fill('Unsaved notes');
  await expect.poll(() => draftKeys(page)).toHaveLength(1);
  page.on('dialog', (dialog) => void dialog.accept());
  await page.reload();
  await page.getByRole('region', { name: 'Unsaved draft' }).getByRole('button', { name: 'Discard' }).click();
  await expect(page.getByRole('region', { name: 'Unsaved draft' })).toHaveCount(0);
  await expect(page.getByLabel(/^Notes/)).toHaveValue('Saved notes');
  await expect.poll(() => draftKeys(page)).toEqual([]);
});

test('Save & New leaves one toast, over the header and clear of every field', async ({ page }) => {
  await signIn(page, 'editor', '/interactions/new');
  for (const n of [1, 2, 3]) {
    await page.getByLabel(/^Title/).fill(unique(`Save and new ${n} `));
    await page.getByLabel(/^Type/).selectOption('Call');
    await page.getByLabel(/^Lead/).fill('Toast Lead');
    await page.getByLabel(/^Start/).fill('2026-06-02T09:00');
    await page.getByRole('button', { name: 'Save & New' }).click();
    await expect(page.locator('.toast').filter({ hasText: /^Created/ })).toBeVisible();
    await expect(page.getByLabel(/^Title/)).toHaveValue('');
  }
  await expect(page.locator('.toast')).toHaveCount(1);
  const toast = (await page.locator('.toast').boundingBox())!;
  const fields = await page.locator('form input, form select, form textarea, form button').evaluateAll((els) =>
    els.map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0).map((r) => ({ x: r.x, y: r.y, width: r.width, height: r.height })),
  );
  expect(fields.length).toBeGreaterThan(5);
  const overlaps = fields.filter(
    (f) => f.x < toast.x + toast.width && toast.x < f.x + f.width && f.y < toast.y + toast.height && toast.y < f.y + f.height,
  );
  expect(overlaps).toEqual([]);
});

test('the conflict dialog names a colleague, with the time they saved', async ({ page, request }) => {
  const editorToken = await apiToken(request, 'editor');
  const created = await createInteraction(request, editorToken, { title: unique('Colleague conflict ') });
  await signIn(page, 'editor', `/interactions/${created.id}`);
  await expect(page.getByLabel(/^Title/)).toHaveValue(created.title);
  const adminToken = await apiToken(request, 'admin');
  const current = await request.get(`/api/interactions/${created.id}`, { headers: bearer(editorToken) });
  const body = (await current.json()) as Record<string, unknown>;
  const editable = ['title', 'type', 'lead', 'start_datetime', 'end_datetime', 'timezone', 'location', 'description'];
  const saved = await request.put(`/api/interactions/${created.id}`, {
    headers: bearer(adminToken),
    data: { ...Object.fromEntries(editable.map((f) => [f, body[f]])), notes: 'Changed by the admin', version: created.version },
  });
  expect(saved.status()).toBe(200);
  await page.getByLabel(/^Location/).fill('Mine');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Ada Admin changed this interaction' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(/Ada Admin saved it at \d\d\/\d\d\/\d{4}, \d\d:\d\d/);
});

test('after a delete the Finder is back as it was left: filters, sort, page and page size', async ({ page }) => {
  const finder = '/interactions?type=Meeting&type=Call&sort=title&page=2&page_size=10';
  await signIn(page, 'editor', finder);
  await expect(dataRows(page)).toHaveCount(10);
  const row = page.locator('a[data-row-link]').nth(3);
  const title = (await row.textContent())!;
  const href = (await row.getAttribute('href'))!;
  await row.click();
  await expect(page.getByLabel(/^Title/)).toHaveValue(title);
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog', { name: 'Delete this interaction?' }).getByRole('button', { name: 'Delete' }).click();
  await expect(page).toHaveURL(finder);
  await expect(page.getByRole('status').filter({ hasText: `Deleted “${title}”` })).toBeVisible();
  await expect(dataRows(page)).toHaveCount(10);
  await expect(page.locator(`a[data-row-link][href="${href}"]`)).toHaveCount(0);
  await expect(page.getByRole('checkbox', { name: 'Meeting' })).toBeChecked();
});

test('without “keep me signed in” the session ends with the browser; with it, it stays on the device', async ({ browser }) => {
  const open = async (storageState?: Awaited<ReturnType<import('@playwright/test').BrowserContext['storageState']>>) => {
    const context = await browser.newContext({ storageState, locale: 'en-GB', timezoneId: 'Europe/London' });
    return { context, page: await context.newPage() };
  };

  const first = await open();
  await signIn(first.page, 'viewer');
  // A second tab of the same browser is signed in too.
  const tab = await first.context.newPage();
  await tab.goto('/interactions');
  await expect(tab.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
  // The browser closes: what is left on the device (cookies, localStorage) does not sign anyone in.
  const leftOver = await first.context.storageState();
  await first.context.close();
  const reopened = await open(leftOver);
  await reopened.page.goto('/interactions');
  await expect(reopened.page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await signIn(reopened.page, 'viewer', '/interactions', { keep: true });
  const kept = await reopened.context.storageState();
  await reopened.context.close();
  const again = await open(kept);
  await again.page.goto('/interactions');
  await expect(again.page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
  await again.context.close();
});
