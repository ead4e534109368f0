// Insights against real data: a bar opens the Finder on exactly its records, the heat map links likewise,
// no serious accessibility violation, usable at 390 px, and the README's picture of the page.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiToken, createInteraction, expect, expectNoSeriousA11yViolations, signIn, test, unique } from './helpers';

// Refreshed on request (UPDATE_SCREENSHOTS=1), like the other pictures of the README.
const docsScreenshots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');

const at = (day: number, hour: number) => ({
  start_datetime: `2026-05-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+02:00`,
  end_datetime: `2026-05-${String(day).padStart(2, '0')}T${String(hour + 1).padStart(2, '0')}:00:00+02:00`,
});

test.use({ timezoneId: 'Europe/Berlin', locale: 'en-GB' });

test('a bar and a heat-map cell open the Finder with exactly their records', async ({ page, request }) => {
  const word = unique('insightz');
  const token = await apiToken(request, 'editor');
  // May 2026 in Berlin: three meetings (two on Tuesday 12 at 10:00) and two calls, led by two people the name of one
  // of whom is inside the other's, in two places likewise
  const [ana, junior, room, annex] = [`Ana ${word}`, `Ana ${word} Jr`, `Room ${word}`, `Room ${word} annex`];
  for (const [type, day, hour, lead, location] of [
    ['Meeting', 12, 10, ana, room],
    ['Meeting', 12, 10, ana, annex],
    ['Meeting', 14, 15, ana, room],
    ['Call', 13, 9, junior, annex],
    ['Call', 20, 9, junior, annex],
  ] as const) {
    await createInteraction(request, token, { title: `${word} ${type}`, type, lead, location, ...at(day, hour) });
  }
  await signIn(page, 'editor', `/insights?search=${word}`);
  await expect(page.getByRole('status').filter({ hasText: 'interactions match' })).toHaveText('5 interactions match');
  const pager = page.getByRole('navigation', { name: 'Pagination', exact: true });

  // The busiest leads' first bar is "Ana …", whose name is inside "Ana … Jr"'s: the Finder shows as many records
  // as the bar counts, not both people's.
  const leads = page.getByRole('region', { name: /^Busiest leads: chart/ });
  const count = (await leads.locator('.recharts-label-list text').first().textContent())?.trim() ?? '';
  expect(count).toBe('3');
  await leads.locator('.recharts-bar-rectangle path').first().click();
  await expect(page).toHaveURL(new RegExp(`/interactions\\?search=${word}&lead_is=Ana\\+${word}$`));
  await expect(pager.getByText(`1–${count} of ${count}`)).toBeVisible();
  // The Finder shows the exact filter as a chip, and its chip removes it.
  await page.getByRole('button', { name: `Remove Lead is exactly: ${ana}` }).click();
  await expect(pager.getByText('1–5 of 5')).toBeVisible();
  await page.getByRole('link', { name: 'Insights' }).click();

  // Each row of the busiest locations' table opens the Finder with as many records as the row counts.
  const places = page.locator('section', { has: page.getByRole('heading', { name: 'Busiest locations' }) });
  for (const [name, rows] of [[annex, 3], [room, 2]] as const) {
    await places.getByText('Show as table').click();
    const row = places.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
    await expect(row.getByRole('link', { name: String(rows), exact: true })).toBeVisible();
    await row.getByRole('link', { name, exact: true }).click();
    await expect(pager.getByText(`1–${rows} of ${rows}`)).toBeVisible();
    await page.goBack();
  }

  // The Meeting segment of May's bar
  await page.locator('.recharts-bar-rectangle path').first().click();
  await expect(page).toHaveURL(/\/interactions\?.*type=Meeting/);
  await expect(page.getByRole('navigation', { name: 'Pagination', exact: true }).getByText('1–3 of 3')).toBeVisible();

  await page.goBack();
  await page.getByRole('link', { name: '2 on Tuesday at 10:00' }).click();
  await expect(page).toHaveURL(/weekday=2&hour=10&tz=Europe%2FBerlin/);
  await expect(page.getByRole('navigation', { name: 'Pagination', exact: true }).getByText('1–2 of 2')).toBeVisible();
  // The Finder has no control for the weekday and hour: its chip clears them, zone and all.
  await page.getByRole('button', { name: 'Remove Starts on Tuesdays at 10:00–10:59 (Europe/Berlin)' }).click();
  await expect(page.getByRole('navigation', { name: 'Pagination', exact: true }).getByText('1–5 of 5')).toBeVisible();
  expect(new URL(page.url()).searchParams.has('tz')).toBe(false);

  // The header's link opens the insights for the criteria the Finder was left with.
  await page.getByRole('link', { name: 'Insights' }).click();
  await expect(page).toHaveURL(new RegExp(`/insights\\?search=${word}$`));
  await expect(page.getByRole('status').filter({ hasText: 'interactions match' })).toHaveText('5 interactions match');
});

test('insights have no serious accessibility violation and work at 390 px', async ({ page }, testInfo) => {
  await signIn(page, 'admin', '/insights');
  await expect(page.getByRole('heading', { name: /Interactions per month/ })).toBeVisible();
  await page.getByText('Show as table').first().click();
  await expect(page.getByRole('table', { name: /Interactions per month, by type/ })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  const screenshots = process.env.UPDATE_SCREENSHOTS ? docsScreenshots : testInfo.outputPath('screenshots');
  await mkdir(screenshots, { recursive: true });
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(screenshots, 'insights.png') });

  await page.setViewportSize({ width: 390, height: 844 });
  // Nothing sticks out sideways: wide charts scroll inside their own region.
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expectNoSeriousA11yViolations(page);
  const lead = page.getByRole('table', { name: 'Busiest leads' });
  await page.getByText('Show as table').nth(1).click();
  const first = lead.getByRole('row').nth(1);
  const count = (await first.getByRole('cell').textContent())?.trim() ?? '';
  await first.getByRole('link').first().click();
  await expect(page).toHaveURL(/\/interactions\?lead_is=/);
  await expect(page.getByRole('navigation', { name: 'Pagination', exact: true }).getByText(new RegExp(`of ${count}$`))).toBeVisible();
});
