// Shared steps of the browser tests: signing in, talking to the API directly for set-up, watching the console.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { expect, test as base, type APIRequestContext, type Page, type TestInfo } from '@playwright/test';

export const PASSWORD = 'demo-password';

/** Every test fails on a JavaScript error or a console error other than an expected HTTP status. */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        // The browser logs every 4xx it receives ("Failed to load resource"); the tests provoke those on purpose.
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
          errors.push(message.text());
        }
      });
      await use(errors);
      expect(errors, 'console errors').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

export interface SignInOptions {
  password?: string;
  /** Tick "Keep me signed in on this device". */
  keep?: boolean;
}

/** Fills the sign-in form the page shows and submits it; the caller checks the outcome. */
export async function submitSignIn(page: Page, username: string, { password = PASSWORD, keep = false }: SignInOptions = {}) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  if (keep) await page.getByRole('checkbox', { name: 'Keep me signed in on this device' }).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Opens `path`, signs in on the sign-in page it leads to, and waits until signed in. */
export async function signIn(page: Page, username: string, path = '/interactions', options: SignInOptions = {}) {
  await page.goto(path);
  await submitSignIn(page, username, options);
  await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
}

export async function apiToken(request: APIRequestContext, username: string): Promise<string> {
  const response = await request.post('/api/auth/login', { data: { username, password: PASSWORD } });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Headers of an API call made as the holder of `token`, in `siteId` when given. */
export const bearer = (token: string, siteId?: number): Record<string, string> => ({
  Authorization: `Bearer ${token}`,
  ...(siteId ? { 'X-Site-ID': String(siteId) } : {}),
});

/** A valid interaction body for the API, with `fields` replacing the defaults. */
export const interactionBody = (fields: Record<string, string | number> = {}) => ({
  title: `E2E ${Date.now()}`,
  type: 'Meeting',
  lead: 'Test Lead',
  start_datetime: '2026-11-24T09:30:00+01:00',
  end_datetime: '2026-11-24T10:30:00+01:00',
  timezone: 'Europe/Berlin',
  location: 'Room 1',
  description: '',
  notes: '',
  ...fields,
});

export interface CreatedInteraction {
  id: number;
  title: string;
  version: number;
}

export async function createInteraction(
  request: APIRequestContext,
  token: string,
  fields: Record<string, string> = {},
  siteId?: number,
): Promise<CreatedInteraction> {
  const response = await request.post('/api/interactions', { headers: bearer(token, siteId), data: interactionBody(fields) });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as CreatedInteraction;
}

export const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

/** The data rows of the Finder table (skeleton rows excluded). */
export const dataRows = (page: Page) => page.locator('tbody tr.data-row');

/** axe-core over the page: no serious or critical WCAG 2.1 A/AA violation. */
export async function expectNoSeriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(serious).toEqual([]);
}

/** The newest link of `kind` (reset-password, accept-invitation) mailed to `email`: without
 * SENDGRID_API_KEY the API writes e-mails to its log (API_LOG_FILE). */
export async function latestMailedToken(email: string, kind: string): Promise<string | null> {
  const logFile = process.env.API_LOG_FILE;
  if (!logFile) throw new Error('API_LOG_FILE is not set: run the browser tests through e2e/run');
  const lines = (await readFile(logFile, 'utf8')).split('\n').filter((line) => line.includes(`to=${email}`));
  const match = lines.at(-1)?.match(new RegExp(`/${kind}[?#]token=([A-Za-z0-9_.-]+)`));
  return match?.[1] ?? null;
}

const docsScreenshots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');

/** A picture of the screen at desktop width for the README (refreshed with UPDATE_SCREENSHOTS=1; otherwise
 *  kept with the test's output), the viewport put back afterwards. */
export async function readmeScreenshot(page: Page, testInfo: TestInfo, name: string) {
  const folder = process.env.UPDATE_SCREENSHOTS ? docsScreenshots : testInfo.outputPath('screenshots');
  await mkdir(folder, { recursive: true });
  const before = page.viewportSize();
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(folder, name) });
  if (before) await page.setViewportSize(before);
}
