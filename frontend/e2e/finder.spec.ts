// The Finder against real data: search, filters, sorting, paging, columns, URL state and CSV export.
import { readFile } from 'node:fs/promises';
import { apiToken, createInteraction, dataRows, expect, signIn, test, unique } from './helpers';

test('finds an interaction by a word from its notes, even inside a word', async ({ page, request }) => {
  const word = unique('zephyr');
  const token = await apiToken(request, 'editor');
  const created = await createInteraction(request, token, { title: unique('Notes search '), notes: `Follow up on ${word} contract.` });
  await signIn(page, 'editor');
  await page.getByRole('searchbox', { name: 'Search interactions' }).fill(word.slice(2, -2));
  await expect(page).toHaveURL(new RegExp(`search=${word.slice(2, -2)}`));
  await expect(dataRows(page)).toHaveCount(1);
  await expect(dataRows(page).first()).toContainText(created.title);
  await expect(page.getByRole('navigation', { name: 'Pagination', exact: true }).getByText('1–1 of 1')).toBeVisible();

  // Reload keeps the view; the search box shows the words.
  await page.reload();
  await expect(page.getByRole('searchbox', { name: 'Search interactions' })).toHaveValue(word.slice(2, -2));
  await expect(dataRows(page)).toHaveCount(1);
});

test('filters by type and lead, and the Back button restores the previous view', async ({ page }) => {
  await signIn(page, 'editor');
  await page.getByRole('button', { name: 'Filters' }).click();
  await page.getByRole('checkbox', { name: 'Call' }).check();
  await page.getByRole('checkbox', { name: 'Visit' }).check();
  await expect(page).toHaveURL(/type=Call&type=Visit/);
  // Wait for the filtered page itself: the previous one stays on screen while it loads.
  await expect
    .poll(async () => {
      const types = await page.locator('tbody td.col-type').allTextContents();
      return types.length > 0 && types.every((t) => t === 'Call' || t === 'Visit');
    })
    .toBe(true);

  await page.getByRole('checkbox', { name: 'Visit' }).uncheck();
  await expect(page).toHaveURL(/type=Call$/);
  await expect.poll(async () => [...new Set(await page.locator('tbody td.col-type').allTextContents())]).toEqual(['Call']);

  await page.goBack();
  await expect(page).toHaveURL(/type=Call&type=Visit/);
  await expect(page.getByRole('checkbox', { name: 'Visit' })).toBeChecked();

  await page.getByLabel('Starts on or after').fill('2099-01-01');
  await expect(page.getByText('No interactions match')).toBeVisible();
  await page.getByRole('button', { name: 'Clear search and filters' }).click();
  await expect(page).toHaveURL(/\/interactions$/);
});

test('keeps both start-date bounds filled one right after the other', async ({ page }) => {
  await signIn(page, 'editor');
  await page.getByRole('button', { name: 'Filters' }).click();
  await page.getByLabel('Starts on or after').fill('2026-05-01');
  await page.getByLabel('Starts on or before').fill('2026-05-31');
  await expect(page).toHaveURL(/\?start_from=2026-05-01&start_to=2026-05-31$/);
  const chips = page.getByRole('list', { name: 'Active filters' });
  await expect(chips).toContainText('Starts 01/05/2026 – 31/05/2026');
  await page.reload();
  await expect(chips).toContainText('Starts 01/05/2026 – 31/05/2026');
  await expect(page.getByLabel('Starts on or after')).toHaveValue('2026-05-01');
});

test('sorts by a column, multi-sorts with shift-click, and keeps the sort on reload', async ({ page }) => {
  await signIn(page, 'editor');
  await page.getByRole('button', { name: /^Title/ }).click();
  await expect(page).toHaveURL(/sort=title$/);
  await expect(page.getByRole('columnheader', { name: /Title/ })).toHaveAttribute('aria-sort', 'ascending');
  // Compare first letters only: the database's collation decides the finer points of order.
  const initials = async () => (await page.locator('tbody td.col-title').allTextContents()).map((t) => t[0]!.toUpperCase());
  await expect.poll(async () => { const i = await initials(); return i.join() === [...i].sort().join(); }).toBe(true);

  await page.getByRole('button', { name: /^Type/ }).click({ modifiers: ['Shift'] });
  await expect(page).toHaveURL(/sort=title%2Ctype$/);
  await page.getByRole('button', { name: /^Title/ }).click();
  await expect(page).toHaveURL(/sort=-title$/);
  await page.reload();
  await expect(page.getByRole('columnheader', { name: /Title/ })).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(async () => { const i = await initials(); return i.join() === [...i].sort().reverse().join(); }).toBe(true);
});

test('pages through results and changes the page size', async ({ page }) => {
  await signIn(page, 'editor');
  const summary = page.getByRole('navigation', { name: 'Pagination', exact: true }).locator('.pagination__summary');
  await expect(summary).toHaveText(/^1–25 of \d+/);
  const firstPage = await page.locator('tbody td.col-title').first().textContent();
  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(summary).toHaveText(/^26–50 of/);
  await expect(page.locator('tbody td.col-title').first()).not.toHaveText(firstPage!);
  await page.getByLabel('Rows per page').selectOption('10');
  await expect(page).toHaveURL(/page_size=10$/);
  await expect(dataRows(page)).toHaveCount(10);
  await expect(summary).toHaveText(/^1–10 of/);
  await page.goBack();
  await expect(summary).toHaveText(/^26–50 of/);
});

test('hides and shows columns, remembered across reloads', async ({ page }) => {
  await signIn(page, 'editor');
  await page.getByRole('button', { name: 'Columns' }).click();
  await page.getByRole('checkbox', { name: 'Location' }).uncheck();
  await page.getByRole('checkbox', { name: 'Time zone' }).check();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('columnheader', { name: /Location/ })).toHaveCount(0);
  await expect(page.getByRole('columnheader', { name: /Time zone/ })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('columnheader', { name: /Time zone/ })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: /Location/ })).toHaveCount(0);
});

test('rows open the form from the keyboard', async ({ page }) => {
  await signIn(page, 'editor');
  const first = page.locator('a[data-row-link]').first();
  const second = page.locator('a[data-row-link]').nth(1);
  await first.focus();
  await page.keyboard.press('ArrowDown');
  await expect(second).toBeFocused();
  const title = await second.textContent();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel(/^Title/)).toHaveValue(title!);
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Interactions', exact: true })).toBeVisible();
});

test('exports the current query as CSV', async ({ page, request }) => {
  const word = unique('csvexport');
  const token = await apiToken(request, 'editor');
  await createInteraction(request, token, { title: `Export ${word}`, notes: word });
  await createInteraction(request, token, { title: `Export two ${word}`, notes: word, type: 'Call' });
  await signIn(page, 'editor', `/interactions?search=${word}`);
  await expect(dataRows(page)).toHaveCount(2);
  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^interactions-.*\.csv$/);
  const csv = await readFile((await download.path())!, 'utf8');
  const lines = csv.trim().split(/\r?\n/);
  expect(lines[0]).toMatch(/title/i);
  expect(lines).toHaveLength(3);
  expect(csv).toContain(`Export two ${word}`);
});
