// Accessibility scans (axe-core) of login, password reset, Finder and form, the phone layout, and the screenshots for the docs.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataRows, expect, expectNoSeriousA11yViolations, signIn, test } from './helpers';

// The README's pictures are refreshed on request (UPDATE_SCREENSHOTS=1 make test-e2e); a plain run
// writes them under test-results/ so testing never changes tracked files.
const docsScreenshots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');

test('login, password reset, Finder and form have no serious or critical accessibility violations', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await page.goto('/forgot-password');
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByText('Enter your e-mail address.')).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await page.goto('/reset-password?token=not-a-real-token');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByText('Enter a new password.')).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await signIn(page, 'editor');
  await expect(dataRows(page).first()).toBeVisible();
  await page.getByRole('button', { name: 'Columns' }).click();
  await page.getByRole('checkbox', { name: 'Description' }).check();
  await page.getByRole('checkbox', { name: 'Notes' }).check();
  await page.getByRole('button', { name: 'Columns' }).click();
  await page.getByRole('button', { name: 'Filters' }).click();
  await expectNoSeriousA11yViolations(page);
  // The text cut short, opened from the keyboard.
  await page.locator('td.col-notes .truncated').first().focus();
  await expect(page.getByTestId('cell-tooltip')).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await page.locator('a[data-row-link]').first().click();
  await expect(page.getByLabel(/^Title/)).not.toHaveValue('');
  await expectNoSeriousA11yViolations(page);

  await page.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

  // A draft on offer after a reload.
  await page.getByLabel(/^Notes/).fill('An unsaved thought');
  await expect.poll(() => page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith('ims.draft.')))).toBe(true);
  page.on('dialog', (dialog) => void dialog.accept());
  await page.reload();
  await expect(page.getByRole('region', { name: 'Unsaved draft' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.getByRole('button', { name: 'Discard' }).click();
});

test('screenshots of the Finder and the form, desktop and phone', async ({ browser }, testInfo) => {
  const screenshots = process.env.UPDATE_SCREENSHOTS ? docsScreenshots : testInfo.outputPath('screenshots');
  await mkdir(screenshots, { recursive: true });
  for (const [name, viewport] of [
    ['desktop', { width: 1366, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'Europe/London', deviceScaleFactor: name === 'phone' ? 2 : 1 });
    const page = await context.newPage();
    await signIn(page, 'admin', '/interactions?sort=-start_datetime');
    await expect(dataRows(page).first()).toBeVisible();
    // Field Office: demo data only (the other tests write to Headquarters).
    await page.getByLabel('Site').selectOption({ label: 'Field Office' });
    await expect(page.locator('.page-subtitle')).toHaveText('Field Office');
    // Nothing may stick out sideways on a phone.
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    await page.getByRole('button', { name: 'Filters' }).click();
    await page.getByRole('checkbox', { name: 'Meeting' }).check();
    await expect(page).toHaveURL(/type=Meeting/);
    await expect(dataRows(page).first()).toBeVisible();
    // On a phone the open panel would fill the picture; the chip still shows the filter.
    if (name === 'phone') await page.getByRole('button', { name: /Filters/ }).click();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(screenshots, `finder-${name}.png`) });

    await page.locator('a[data-row-link]').first().click();
    await expect(page.getByLabel(/^Title/)).not.toHaveValue('');
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    await page.screenshot({ path: path.join(screenshots, `form-${name}.png`), fullPage: true });
    await context.close();
  }
});
