// The keyboard alone: find → open → edit → save, the help on "?", and letters that stay letters in a field.
import { apiToken, bearer, createInteraction, dataRows, expect, expectNoSeriousA11yViolations, signIn, test, unique } from './helpers';

test('find, open, edit and save an interaction with the keyboard only', async ({ page, request }) => {
  const token = await apiToken(request, 'editor');
  const title = unique('Keyboard walk ');
  const created = await createInteraction(request, token, { title });
  await signIn(page, 'editor');
  // The Finder loads on demand after sign-in: its keys work once it shows its rows.
  await expect(dataRows(page).first()).toBeVisible();

  await page.keyboard.press('/');
  const search = page.getByRole('searchbox', { name: 'Search interactions' });
  await expect(search).toBeFocused();
  await page.keyboard.type(title);
  await page.keyboard.press('Enter');
  await expect(dataRows(page)).toHaveCount(1);

  // Out of the search box (a letter typed there is only a letter), then "j" to the first row.
  await page.keyboard.press('Tab');
  await page.keyboard.press('j');
  const row = page.getByRole('link', { name: title });
  await expect(row).toBeFocused();
  await expect(page.getByRole('status').filter({ hasText: `Row 1 of 1: ${title}` })).toBeAttached();

  await page.keyboard.press('e');
  await expect(page).toHaveURL(new RegExp(`/interactions/${created.id}$`));
  const titleField = page.getByLabel(/^Title/);
  await expect(titleField).toBeFocused();
  await page.keyboard.press('End');
  await page.keyboard.type(' (moved)');
  await page.keyboard.press('ControlOrMeta+s');

  await expect(page).toHaveURL(/\/interactions(\?|$)/);
  await expect(page.locator('.toast').filter({ hasText: `Saved “${title} (moved)”` })).toBeVisible();
  const stored = await request.get(`/api/interactions/${created.id}`, { headers: bearer(token) });
  expect(((await stored.json()) as { title: string }).title).toBe(`${title} (moved)`);
});

test('"n" opens a new form, Esc goes back, and letters typed into a field stay letters', async ({ page }) => {
  await signIn(page, 'editor');
  await expect(dataRows(page).first()).toBeVisible();
  await page.keyboard.press('n');
  await expect(page).toHaveURL(/\/interactions\/new$/);
  const titleField = page.getByLabel(/^Title/);
  await expect(titleField).toBeFocused();
  await page.keyboard.type('nje?');
  await expect(titleField).toHaveValue('nje?');
  await expect(page).toHaveURL(/\/interactions\/new$/);
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // Unsaved text: Esc asks before leaving, as the Cancel button does.
  await page.keyboard.press('Escape');
  const leave = page.getByRole('dialog');
  await expect(leave).toBeVisible();
  await leave.getByRole('button', { name: /discard|leave/i }).click();
  await expect(page).toHaveURL(/\/interactions(\?|$)/);
});

test('"?" lists the shortcuts in a dialog that is accessible and fits a phone', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, 'viewer');
  await expect(dataRows(page).first()).toBeVisible();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help.getByText('Next row')).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  const box = await help.boundingBox();
  expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);

  // A viewer cannot add: "n" leaves the list where it is (the "?" after it proves the key was handled).
  await page.keyboard.press('n');
  await page.keyboard.press('?');
  await expect(help).toBeVisible();
  await expect(page).toHaveURL(/\/interactions(\?|$)/);
});
