// The Finder's views: Description and Notes columns, times in one zone with one date format, the phone layout, the skip link.
import { apiToken, createInteraction, dataRows, expect, signIn, test, unique } from './helpers';

test('shows Description and Notes as columns, cut to a line, whole on hover and on keyboard focus', async ({ page, request }) => {
  const word = unique('colnotes');
  const description = `Agenda for ${word}: ${'budget, hiring, the office move and the supplier contracts; '.repeat(6)}end of agenda.`;
  const token = await apiToken(request, 'editor');
  await createInteraction(request, token, { title: `Columns ${word}`, description, notes: `Minutes to follow ${word}` });
  await signIn(page, 'editor', `/interactions?search=${word}`);
  await expect(dataRows(page)).toHaveCount(1);
  await expect(page.getByRole('columnheader', { name: 'Description' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Columns' }).click();
  await page.getByRole('checkbox', { name: 'Description' }).check();
  await page.getByRole('checkbox', { name: 'Notes' }).check();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('columnheader', { name: 'Description' })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Notes' })).toBeVisible();
  const cell = dataRows(page).first().locator('td.col-description .truncated');
  await expect(cell).toHaveText(description);
  // Cut to one line on screen.
  await expect.poll(() => cell.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  await expect(dataRows(page).first().locator('td.col-notes')).toHaveText(`Minutes to follow ${word}`);

  const tooltip = page.getByTestId('cell-tooltip');
  await cell.hover();
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toHaveText(description);
  await page.mouse.move(0, 0);
  await expect(tooltip).toHaveCount(0);

  // Keyboard: Tab from the row's title link reaches the cut text, and the whole text appears.
  await dataRows(page).first().locator('a[data-row-link]').focus();
  await page.keyboard.press('Tab');
  await expect(cell).toBeFocused();
  await expect(tooltip).toHaveText(description);
  await page.keyboard.press('Escape');
  await expect(tooltip).toHaveCount(0);

  await page.reload();
  await expect(page.getByRole('columnheader', { name: 'Notes' })).toBeVisible();
});

test('lists times in the viewer’s zone in one date format, with a remembered switch to each record’s own zone', async ({ page, request }) => {
  const word = unique('zones');
  const token = await apiToken(request, 'editor');
  // 09:00 and 12:00 UTC: 10:00 and 13:00 for a viewer in London (BST).
  await createInteraction(request, token, {
    title: `New York ${word}`, start_datetime: '2026-05-05T05:00:00-04:00', end_datetime: '2026-05-05T06:00:00-04:00', timezone: 'America/New_York',
  });
  await createInteraction(request, token, {
    title: `Kolkata ${word}`, start_datetime: '2026-05-05T17:30:00+05:30', end_datetime: '2026-05-05T18:30:00+05:30', timezone: 'Asia/Kolkata',
  });
  await signIn(page, 'editor', `/interactions?search=${word}&sort=start_datetime`);
  await expect(dataRows(page)).toHaveCount(2);
  const zone = page.getByLabel('Times in');
  await expect(zone).toHaveValue('viewer');
  const starts = page.locator('tbody td.col-start_datetime time');
  await expect(starts).toHaveText(['05/05/2026, 10:00 BST', '05/05/2026, 13:00 BST']);
  // The record's own time one glance away: beside it, and in full on hover.
  await expect(page.locator('tbody td.col-start_datetime .instant__own')).toHaveText(['05:00 EDT there', '17:30 IST there']);
  await expect(starts.nth(1)).toHaveAttribute('title', /05\/05\/2026, 17:30 IST \(Asia\/Kolkata\)/);

  // The date filter's chip uses the same format as the rows (and as the date field, which shows the locale's form).
  await page.getByRole('button', { name: 'Filters' }).click();
  await page.getByLabel('Starts on or after').fill('2026-05-01');
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText('Starts on or after 01/05/2026');
  await expect(dataRows(page)).toHaveCount(2);

  await zone.selectOption('record');
  await expect(starts).toHaveText(['05/05/2026, 05:00 EDT', '05/05/2026, 17:30 IST']);
  await expect(starts.first()).toHaveAttribute('title', '05/05/2026, 10:00 BST in your time zone (Europe/London)');
  await expect(page.locator('tbody td.col-start_datetime .instant__own')).toHaveCount(0);
  await page.reload();
  await expect(page.getByLabel('Times in')).toHaveValue('record');
  await expect(starts).toHaveText(['05/05/2026, 05:00 EDT', '05/05/2026, 17:30 IST']);
  await page.getByLabel('Times in').selectOption('viewer');
  await expect(starts.first()).toHaveText('05/05/2026, 10:00 BST');
});

test('on a phone: compact cards, the pager above them, no Columns button', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB', timezoneId: 'Europe/London' });
  const page = await context.newPage();
  await signIn(page, 'editor');
  await expect(dataRows(page)).toHaveCount(25);
  await expect(page.getByRole('button', { name: 'Columns' })).toBeHidden();
  // The way to the next page is on screen without scrolling past 25 cards.
  const next = page.getByRole('navigation', { name: 'Pagination, top' }).getByRole('button', { name: 'Next page' });
  await expect(next).toBeInViewport();
  const heights = await dataRows(page).evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect().height));
  expect(Math.max(...heights)).toBeLessThan(90);
  await next.click();
  await expect(page).toHaveURL(/page=2/);
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await context.close();
});

test('a skip link goes from the search box straight to the first row', async ({ page }) => {
  await signIn(page, 'editor');
  await expect(dataRows(page).first()).toBeVisible();
  const search = page.getByRole('searchbox', { name: 'Search interactions' });
  await search.focus();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to results' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.locator('a[data-row-link]').first()).toBeFocused();
});
