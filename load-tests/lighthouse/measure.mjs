// Lighthouse (mobile preset, the default config) on the sign-in page, then on the Finder signed in with
// rows, against one running deployment. Prints one JSON line per page: scores and the metrics behind them.
//
//   node measure.mjs <base-url> <label> [username] [password]
//
// Chromium is Debian's (CHROMIUM_PATH, default /usr/bin/chromium), started once with a debugging port:
// Lighthouse and playwright-core both drive it, so the Finder is measured with the session a real
// sign-in ("Keep me signed in") left in the browser's storage.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';

const [base, label, username = 'admin', password = 'demo-password'] = process.argv.slice(2);
if (!base || !label) {
  console.error('usage: node measure.mjs <base-url> <label> [username] [password]');
  process.exit(2);
}

const CATEGORIES = ['performance', 'accessibility', 'best-practices'];
const METRICS = {
  fcp_ms: 'first-contentful-paint',
  lcp_ms: 'largest-contentful-paint',
  tbt_ms: 'total-blocking-time',
  si_ms: 'speed-index',
  cls: 'cumulative-layout-shift',
};

async function startChromium() {
  const profile = mkdtempSync(join(tmpdir(), 'ims-lighthouse-'));
  const port = 9222 + Math.floor(Math.random() * 500);
  const child = spawn(process.env.CHROMIUM_PATH || '/usr/bin/chromium', [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--no-first-run', `--remote-debugging-port=${port}`, `--user-data-dir=${profile}`, 'about:blank',
  ], { stdio: 'ignore' });
  for (let tries = 0; tries < 100; tries += 1) {
    try {
      const answer = await fetch(`http://127.0.0.1:${port}/json/version`);
      if (answer.ok) {
        const exited = new Promise((resolve) => { child.once('exit', resolve); });
        const stop = async () => {
          child.kill();
          await exited;
          rmSync(profile, { recursive: true, force: true });
        };
        return { port, stop };
      }
    } catch { /* not listening yet */ }
    await pause(100);
  }
  child.kill();
  throw new Error('Chromium did not open its debugging port');
}

async function audit(url, port, page, keepStorage) {
  const { lhr } = await lighthouse(url, {
    port, output: 'json', logLevel: 'error', onlyCategories: CATEGORIES, disableStorageReset: keepStorage,
  });
  if (lhr.runtimeError) throw new Error(`${page}: ${lhr.runtimeError.message}`);
  if (process.env.LIGHTHOUSE_DETAILS) {
    for (const id of ['bootup-time', 'long-tasks', 'mainthread-work-breakdown', 'network-requests']) {
      console.error(id, JSON.stringify(lhr.audits[id].details?.items?.slice(0, 12), null, 0));
    }
  }
  const result = { label, page, url: lhr.finalDisplayedUrl };
  for (const id of CATEGORIES) result[id] = Math.round(lhr.categories[id].score * 100);
  for (const [name, id] of Object.entries(METRICS)) {
    const value = lhr.audits[id].numericValue;
    result[name] = name === 'cls' ? Number(value.toFixed(3)) : Math.round(value);
  }
  return result;
}

async function signIn(port) {
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
  const context = browser.contexts()[0];
  const page = await context.newPage();
  await page.goto(base);
  await page.getByLabel(/username|e-mail/i).first().fill(username);
  await page.getByLabel(/^password/i).fill(password);
  await page.getByLabel(/keep me signed in/i).check();
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.locator('table tbody tr').first().waitFor({ timeout: 60_000 });
  await page.close();
  await browser.close();  // disconnects; the browser and its storage stay
}

const browser = await startChromium();
try {
  console.log(JSON.stringify(await audit(`${base}/`, browser.port, 'sign-in', false)));
  await signIn(browser.port);
  console.log(JSON.stringify(await audit(`${base}/`, browser.port, 'finder', true)));
} finally {
  await browser.stop();
}
