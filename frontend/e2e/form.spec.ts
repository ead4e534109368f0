// The Interaction form against the real API: create, edit, delete, validation, and a conflict between two pages.
import { apiToken, bearer, createInteraction, dataRows, expect, signIn, test, unique } from './helpers';

test('creates an interaction, entered in a chosen time zone, and finds it in the list', async ({ page }) => {
  const title = unique('Created in browser ');
  await signIn(page, 'editor');
  await page.getByRole('link', { name: '+ New interaction' }).click();
  await expect(page.getByLabel(/^Title/)).toBeFocused();

  // Saving empty shows every required field's message inline.
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Enter a title.')).toBeVisible();
  await expect(page.getByText('Choose a type.')).toBeVisible();

  await page.getByLabel(/^Title/).fill(title);
  await page.getByLabel(/^Type/).selectOption('Visit');
  await page.getByLabel(/^Lead/).fill('Grace Hopper');
  const zone = page.getByRole('combobox', { name: /Time zone/ });
  await zone.click();
  await zone.fill('new york');
  await page.getByRole('option', { name: /America\/New York/ }).click();
  await expect(zone).toHaveValue('America/New_York');
  await page.getByLabel(/^Start/).fill('2026-07-01T09:00');
  await expect(page.getByLabel(/^End/)).toHaveValue('2026-07-01T10:00');
  await page.getByLabel(/^End/).fill('2026-07-01T08:00');
  await page.getByLabel(/^Location/).click();
  await expect(page.getByText('The end must be the same as or after the start.')).toBeVisible();
  await page.getByLabel(/^End/).fill('2026-07-01T11:15');
  await page.getByLabel(/^Notes/).fill('Walked the new depot.');
  await page.getByRole('button', { name: 'Save', exact: true }).click();

  await expect(page).toHaveURL(/\/interactions$/);
  await expect(page.getByRole('status').filter({ hasText: `Created “${title}”` })).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search interactions' }).fill(title);
  await expect(dataRows(page)).toHaveCount(1);
  // Listed in the viewer's zone (London), with the interaction's own New York time beside the start.
  await expect(dataRows(page).first().locator('td.col-start_datetime')).toContainText('01/07/2026, 14:00 BST');
  await expect(dataRows(page).first().locator('td.col-start_datetime')).toContainText('09:00 EDT there');
  await expect(dataRows(page).first().locator('td.col-end_datetime')).toHaveText('16:15 BST');
});

test('Save & New keeps the time zone and starts a clean form', async ({ page }) => {
  await signIn(page, 'editor', '/interactions/new');
  await page.getByLabel(/^Title/).fill(unique('Save and new '));
  await page.getByLabel(/^Type/).selectOption('Call');
  await page.getByLabel(/^Lead/).fill('Ana');
  const zone = page.getByRole('combobox', { name: /Time zone/ });
  await zone.click();
  await zone.fill('Tokyo');
  await page.keyboard.press('Enter');
  await page.getByLabel(/^Start/).fill('2026-05-01T09:00');
  await page.getByRole('button', { name: 'Save & New' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Created' })).toBeVisible();
  await expect(page.getByLabel(/^Title/)).toHaveValue('');
  await expect(zone).toHaveValue('Asia/Tokyo');
});

test('edits an interaction and the list shows the change at once', async ({ page, request }) => {
  const token = await apiToken(request, 'editor');
  const created = await createInteraction(request, token, { title: unique('Edit me ') });
  await signIn(page, 'editor', `/interactions?search=${encodeURIComponent(created.title)}`);
  await dataRows(page).first().getByRole('link').click();
  const renamed = `${created.title} (renamed)`;
  await page.getByLabel(/^Title/).fill(renamed);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  // Back in the same Finder view, with the new title.
  await expect(page).toHaveURL(new RegExp(`search=`));
  await expect(dataRows(page).first()).toContainText(renamed);
});

test('unsaved changes are guarded', async ({ page, request }) => {
  const token = await apiToken(request, 'editor');
  const created = await createInteraction(request, token, { title: unique('Guarded ') });
  await signIn(page, 'editor', `/interactions/${created.id}`);
  await page.getByLabel(/^Notes/).fill('half-typed');
  await page.getByRole('link', { name: '← Interactions' }).click();
  const dialog = page.getByRole('dialog', { name: 'Discard unsaved changes?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Keep editing' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByLabel(/^Notes/)).toHaveValue('half-typed');
});

test('deletes an interaction after confirmation', async ({ page, request }) => {
  const token = await apiToken(request, 'editor');
  const created = await createInteraction(request, token, { title: unique('Delete me ') });
  await signIn(page, 'editor', `/interactions/${created.id}`);
  await page.getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete this interaction?' });
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Deleted “${created.title}”` })).toBeVisible();
  const gone = await request.get(`/api/interactions/${created.id}`, { headers: bearer(token) });
  expect(gone.status()).toBe(404);
  await page.goto(`/interactions/${created.id}`);
  await expect(page.getByRole('heading', { name: 'Interaction not found' })).toBeVisible();
});

test('a conflict between two pages is explained; reload or overwrite', async ({ page, context, request }) => {
  const token = await apiToken(request, 'editor');
  const created = await createInteraction(request, token, { title: unique('Conflict ') });
  await signIn(page, 'editor', `/interactions/${created.id}`);
  const other = await context.newPage();
  await other.goto(`/interactions/${created.id}`);

  await other.getByLabel(/^Notes/).fill('Saved first in the other page');
  await other.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(other).toHaveURL(/\/interactions$/);

  await page.getByLabel(/^Location/).fill('Saved second');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  // The same person in another tab: said so, rather than "someone else".
  const dialog = page.getByRole('dialog', { name: 'You changed this interaction in another tab or window' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(/You saved it in another tab or window at \d\d\/\d\d\/\d{4}, \d\d:\d\d/);
  await expect(dialog).toContainText('Location, Notes');

  await dialog.getByRole('button', { name: 'Load the saved version' }).click();
  await expect(page.getByLabel(/^Notes/)).toHaveValue('Saved first in the other page');
  await expect(page.getByLabel(/^Location/)).toHaveValue('Room 1');

  // Now a conscious overwrite: the other page saves again, this page saves over it.
  await other.goto(`/interactions/${created.id}`);
  await other.getByLabel(/^Title/).fill(`${created.title} v3`);
  await other.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(other).toHaveURL(/\/interactions$/);
  await page.getByLabel(/^Location/).fill('Mine wins');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await dialog.getByRole('button', { name: 'Overwrite with mine' }).click();
  await expect(page).toHaveURL(/\/interactions$/);
  const saved = await request.get(`/api/interactions/${created.id}`, { headers: bearer(token) });
  const body = (await saved.json()) as { location: string; title: string; notes: string };
  expect(body.location).toBe('Mine wins');
  expect(body.title).toBe(created.title);
  await other.close();
});
