// Browser-side security drill: stored XSS stays text in the Finder, the form and the CSV; the token
// goes to the API's origin only; the SPA's HTML carries the security headers.
import { readFile } from 'node:fs/promises';
import { apiToken, createInteraction, dataRows, expect, signIn, test, unique } from './helpers';

const PAYLOADS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=2</script>',
  '"><svg onload="window.__xss=3">',
  "javascript:window.__xss=4//",
  '{{constructor.constructor("window.__xss=5")()}}',
];

test('stored XSS payloads render as text in the Finder, the form and the CSV', async ({ page, request }) => {
  const word = unique('xssdrill');
  const token = await apiToken(request, 'editor');
  const [title, lead, location, description, notes] = PAYLOADS.map((p) => `${p} ${word}`);
  await createInteraction(request, token, { title, lead, location, description, notes });
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });

  await signIn(page, 'editor', `/interactions?search=${word}`);
  await expect(dataRows(page)).toHaveCount(1);
  await expect(dataRows(page).first()).toContainText(title);
  expect(await page.locator('tbody img, tbody svg[onload], tbody script').count()).toBe(0);

  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = await readFile((await (await downloadPromise).path())!, 'utf8');
  for (const text of [title, lead, location, notes]) expect(csv).toContain(text.replace(/"/g, '""'));

  await page.locator('a[data-row-link]').first().click();
  await expect(page.getByLabel(/^Title/)).toHaveValue(title);
  await expect(page.getByLabel(/^Lead/)).toHaveValue(lead);
  await expect(page.getByLabel(/^Location/)).toHaveValue(location);
  await expect(page.getByLabel(/^Notes/)).toHaveValue(notes);

  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);
});

test('the token is sent to the API origin only', async ({ page, baseURL }) => {
  const apiOrigin = new URL(process.env.REACT_APP_API_URL || baseURL!).origin;
  const leaks: string[] = [];
  page.on('request', (req) => {
    const auth = req.headers()['authorization'];
    if (auth && new URL(req.url()).origin !== apiOrigin) leaks.push(req.url());
    if (/eyJ[\w-]{10,}\.eyJ/.test(req.url())) leaks.push(`token in URL: ${req.url()}`);
  });
  await signIn(page, 'editor');
  await expect(dataRows(page).first()).toBeVisible();
  await page.locator('a[data-row-link]').first().click();
  await expect(page.getByLabel(/^Title/)).toBeVisible();
  await page.goBack();
  expect(leaks).toEqual([]);
});

test('the SPA HTML carries the security headers', async ({ request }) => {
  const response = await request.get('/interactions');
  const headers = response.headers();
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBeTruthy();
  const csp = headers['content-security-policy'] ?? '';
  const scripts = (/script-src ([^;]+)/.exec(csp) ?? /default-src ([^;]+)/.exec(csp))?.[1] ?? '';
  expect(scripts).not.toContain("'unsafe-inline'");
  expect(scripts).not.toContain("'unsafe-eval'");
  expect(csp.includes("frame-ancestors 'none'") || headers['x-frame-options'] === 'DENY').toBe(true);
});
