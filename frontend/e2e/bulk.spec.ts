// Bulk actions from the Finder: "select all matching" a filter and change the type while another user edits one of the
// matches (reported, and it keeps its edit), the history of a changed record, a bulk delete and its Undo, axe and a
// phone's width, an action whose server process died half-way and its Resume, and a viewer who gets no checkboxes.
import { readFile } from 'node:fs/promises';
import type { APIRequestContext, Page } from '@playwright/test';
import { copyInteraction, literal, Psql } from './database';
import { apiToken, bearer, createInteraction, dataRows, expect, expectNoSeriousA11yViolations, readmeScreenshot, signIn, test, unique } from './helpers';

const MATCHES = 12; // more than a page of 10, so "all matching" is more than the page

async function makeMatches(request: APIRequestContext, token: string, lead: string, count: number) {
  const made = [];
  for (let n = 0; n < count; n += 1) {
    made.push(await createInteraction(request, token, { title: `Bulk ${lead} ${String(n).padStart(2, '0')}`, lead, type: 'Meeting' }));
  }
  return made;
}

const bar = (page: Page) => page.getByRole('region', { name: 'Bulk actions' });

test('as an editor: all matching changes type, a record edited meanwhile is reported and kept', async ({ page, request }, testInfo) => {
  const lead = unique('bulklead');
  const adminToken = await apiToken(request, 'admin');
  const [edited, ...rest] = await makeMatches(request, adminToken, lead, MATCHES);
  const outside = await createInteraction(request, adminToken, { title: `Outside ${lead}`, lead: 'Someone Else', type: 'Meeting' });

  await signIn(page, 'editor', `/interactions?lead=${lead}&page_size=10&sort=title`);
  await expect(dataRows(page)).toHaveCount(10);
  await page.getByRole('checkbox', { name: 'Select every row on this page' }).check();
  await expect(bar(page).getByText('10 selected')).toBeVisible();
  await bar(page).getByRole('button', { name: `Select all ${MATCHES} matching` }).click();
  await expect(bar(page).getByText(`All ${MATCHES} records matching selected`)).toBeVisible();
  await readmeScreenshot(page, testInfo, 'bulk-selection.png');

  // Another user edits one of the matches after the selection was made.
  const current = await (await request.get(`/api/interactions/${edited!.id}`, { headers: bearer(adminToken) })).json();
  const { id: _id, site_id: _site, created_at: _c, updated_at: _u, created_by: _cb, updated_by: _ub, ...body } = current;
  const put = await request.put(`/api/interactions/${edited!.id}`, { headers: bearer(adminToken), data: { ...body, location: 'Moved by admin' } });
  expect(put.status()).toBe(200);

  await bar(page).getByLabel('Change type').selectOption('Call');
  const dialog = page.getByRole('dialog', { name: `Change the type of ${MATCHES} records?` });
  await expect(dialog).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await dialog.getByRole('button', { name: `Change ${MATCHES} records` }).click();

  const report = page.getByRole('region', { name: 'Bulk action report' });
  await expect(report.getByText(`Changed ${MATCHES - 1} records. Left alone 1 record that someone else changed`)).toBeVisible();
  await expect(report.getByRole('link', { name: edited!.title })).toHaveAttribute('href', `/interactions/${edited!.id}`);
  await expect(page.locator('#shortcut-announcer')).toContainText(`Changed ${MATCHES - 1} records.`);
  await expectNoSeriousA11yViolations(page);
  await readmeScreenshot(page, testInfo, 'bulk-report.png');

  // The rest changed in the Finder; the edited one kept its type and its edit; the one outside the filter is untouched.
  await page.goto(`/interactions?lead=${lead}&type=Call&page_size=25`);
  await expect(dataRows(page)).toHaveCount(MATCHES - 1);
  const kept = await (await request.get(`/api/interactions/${edited!.id}`, { headers: bearer(adminToken) })).json();
  expect([kept.type, kept.location]).toEqual(['Meeting', 'Moved by admin']);
  const untouched = await (await request.get(`/api/interactions/${outside.id}`, { headers: bearer(adminToken) })).json();
  expect([untouched.type, untouched.version]).toEqual(['Meeting', 1]);

  // A changed record's history shows the change as its own version.
  await page.goto(`/interactions/${rest[0]!.id}/history`);
  await expect(page.getByRole('heading', { name: 'Version 2 (current)' })).toBeVisible();
  const changes = page.locator('.history__changes').first();
  await expect(changes.locator('del')).toHaveText('Meeting');
  await expect(changes.locator('ins')).toHaveText('Call');
});

test('a bulk delete goes with its one Undo, usable at a phone’s width', async ({ page, request }) => {
  const lead = unique('bulkgone');
  const token = await apiToken(request, 'editor');
  await makeMatches(request, token, lead, 3);
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, 'editor', `/interactions?lead=${lead}`);
  await expect(dataRows(page)).toHaveCount(3);
  // Space on a focused row ticks it; the bar then selects the rest of the page.
  await dataRows(page).first().locator('a[data-row-link]').focus();
  await page.keyboard.press('Space');
  await expect(bar(page).getByText('1 selected')).toBeVisible();
  await bar(page).getByRole('button', { name: 'Select the page' }).click();
  await expect(bar(page).getByText('3 selected')).toBeVisible();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  await expectNoSeriousA11yViolations(page);

  await bar(page).getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog', { name: 'Delete 3 records?' }).getByRole('button', { name: 'Delete 3 records' }).click();
  const report = page.getByRole('region', { name: 'Bulk action report' });
  await expect(report.getByText('Deleted 3 records.')).toBeVisible();
  await expect(page.getByText(/No interactions match/)).toBeVisible();
  await report.getByRole('button', { name: 'Undo' }).click();
  await expect(report.getByText('Restored 3 records.')).toBeVisible();
  await expect(dataRows(page)).toHaveCount(3);
  await expect(report.getByRole('button', { name: 'Undo' })).toHaveCount(0);
});

const BATCH = 500; // ims/bulk/runner.py BATCH_SIZE: the records one transaction of a job reaches
const SYNC_LIMIT = 200; // ims/bulk/schemas.py: an action with more records than this runs in the background
const TWO_BATCHES = BATCH + SYNC_LIMIT + 40; // and after the first batch, more are left than one answer holds

/** Whether the API's log says the background work that ran bulk job `jobId` has ended (by an error). */
async function runnerGaveUp(jobId: number): Promise<boolean> {
  const logFile = process.env.API_LOG_FILE;
  if (!logFile) throw new Error('API_LOG_FILE is not set: run the browser tests through e2e/run');
  const log = await readFile(logFile, 'utf8');
  const stopped = log.indexOf(`"bulk job ${jobId} stopped"`);
  return stopped >= 0 && log.includes('"background work bulk failed"', stopped);
}

/**
 * Leaves bulk job `jobId` as a server process that died during its second batch does: the first batch committed
 * (its records changed and counted), the second rolled back with the process's connection, nothing written since,
 * and a heartbeat that no longer moves, made an hour old here (the API reports a job stalled after five silent
 * minutes). The runner is held in the second batch by `holder`'s lock on one of its records; there its connection
 * is cut, and so is each connection it then writes on (counting the batch failed, marking the job failed) while
 * `gate` holds the job's row, until it gives up. The API's statement timeout (5 s) would end the second batch's
 * wait on its own and let the runner count its records failed (e2e/run raises it to 60 s for this), so that
 * connection is cut as soon as `gate` is queued behind it (a fraction of a second after the wait began).
 */
async function dieInSecondBatch(jobId: number, holder: Psql, gate: Psql, watch: Psql) {
  const poll = { intervals: [100], timeout: 60_000 };
  /** The server processes waiting for a lock that `pid` holds. */
  const waitingFor = (pid: string) =>
    watch.value(`SELECT string_agg(pid::text, ',') FROM pg_stat_activity WHERE ${pid} = ANY(pg_blocking_pids(pid));`);
  const [holderPid, gatePid] = await Promise.all([holder.backendPid(), gate.backendPid()]);
  let runner = '';
  await expect.poll(async () => (runner = await waitingFor(holderPid)), poll).toMatch(/^\d+$/);
  const gated = gate.run(`BEGIN; SELECT id FROM bulk_jobs WHERE id = ${jobId} FOR UPDATE;`);
  await expect.poll(() => waitingFor(runner), poll).toBe(gatePid);
  await watch.run(`SELECT pg_terminate_backend(${runner});`);
  await gated;
  // Its two writes after that, counting the batch failed and then marking the job failed, wait on `gate` in turn,
  // each on a connection of its own: both cut, the runner has given up, as its log says.
  let cut = 0;
  const cutWaitingOnGate = async () =>
    (cut += Number(await watch.value(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE ${gatePid} = ANY(pg_blocking_pids(pid));`)));
  await expect.poll(cutWaitingOnGate, poll).toBe(2);
  await expect.poll(() => runnerGaveUp(jobId), poll).toBe(true);
  await gate.run(`UPDATE bulk_jobs SET heartbeat_at = now() - interval '1 hour' WHERE id = ${jobId}; COMMIT;`);
  await holder.run('ROLLBACK;');
}

test('an action whose server process died half-way is reported stopped, and Resume finishes it', async ({ page, request }) => {
  test.slow();
  const lead = unique('bulkdied');
  const token = await apiToken(request, 'editor');
  const first = await createInteraction(request, token, { title: `Stopped ${lead}`, lead, type: 'Meeting' });
  const [watch, holder, gate] = [new Psql(), new Psql(), new Psql()];
  try {
    await copyInteraction(watch, first.id, TWO_BATCHES - 1);
    await holder.run(`BEGIN; SELECT id FROM interactions WHERE lead = ${literal(lead)} ORDER BY id DESC LIMIT 1 FOR UPDATE;`);

    await signIn(page, 'editor', `/interactions?lead=${lead}&page_size=10`);
    await page.getByRole('checkbox', { name: 'Select every row on this page' }).check();
    await bar(page).getByRole('button', { name: `Select all ${TWO_BATCHES} matching` }).click();
    await bar(page).getByLabel('Change type').selectOption('Call');
    const started = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/bulk');
    await page.getByRole('dialog').getByRole('button', { name: `Change ${TWO_BATCHES} records` }).click();
    const { id: jobId } = (await (await started).json()) as { id: number };
    await dieInSecondBatch(jobId, holder, gate, watch);
    expect(await watch.value(`SELECT status, processed, (SELECT count(*) FROM bulk_items WHERE job_id = id) FROM bulk_jobs WHERE id = ${jobId};`))
      .toBe(`running|${BATCH}|${BATCH}`);

    const report = page.getByRole('region', { name: 'Bulk action report' });
    const stopped = `This action stopped before it finished: ${BATCH} of ${TWO_BATCHES} records done.`;
    await expect(report.getByText(stopped)).toBeVisible();
    // the bar that started it went away with the selection: the report's heading has the focus
    await expect(report.getByRole('heading', { name: 'Bulk change stopped' })).toBeFocused();
    await expect(page.locator('#shortcut-announcer')).toContainText(stopped);
    await expectNoSeriousA11yViolations(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectNoSeriousA11yViolations(page);

    const resumes: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith(`/api/bulk/${jobId}/resume`)) resumes.push(r.url());
    });
    await report.getByRole('button', { name: 'Resume' }).focus();
    await page.keyboard.press('Enter');
    // the button went with the stopped report; focus is on the heading, which says how it goes
    await expect(page.getByRole('heading', { name: /^Bulk change (running|finished)$/ })).toBeFocused();
    await expect(report.getByText(`Changed ${TWO_BATCHES} records.`)).toBeVisible({ timeout: 60_000 });
    await expect(report.getByRole('heading', { name: 'Bulk change finished' })).toBeFocused();
    expect(resumes).toHaveLength(1);

    // Every record changed once: one version and one history event each, none counted twice.
    const job = await (await request.get(`/api/bulk/${jobId}`, { headers: bearer(token) })).json();
    expect([job.status, job.processed, job.changed, job.failed, job.conflicts]).toEqual(['done', TWO_BATCHES, TWO_BATCHES, 0, 0]);
    const calls = await (await request.get(`/api/interactions?lead=${lead}&type=Call&page_size=10`, { headers: bearer(token) })).json();
    expect(calls.total).toBe(TWO_BATCHES);
    expect(await watch.value(`SELECT count(*), count(*) FILTER (WHERE type = 'Call' AND version = 2) FROM interactions WHERE lead = ${literal(lead)};`))
      .toBe(`${TWO_BATCHES}|${TWO_BATCHES}`);
    expect(await watch.value(`SELECT count(*), count(DISTINCT entity_id) FROM audit_events WHERE action = 'update' AND changes -> 'batch' ->> 'id' = '${jobId}';`))
      .toBe(`${TWO_BATCHES}|${TWO_BATCHES}`);
  } finally {
    await Promise.all([watch.close(), holder.close(), gate.close()]);
  }
});

test('a viewer sees no checkboxes and the API refuses bulk actions', async ({ page, request }) => {
  const lead = unique('bulkview');
  const viewerToken = await apiToken(request, 'viewer');
  const me = (await (await request.get('/api/auth/me', { headers: bearer(viewerToken) })).json()) as { default_site_id: number };
  await createInteraction(request, await apiToken(request, 'admin'), { title: `Viewed ${lead}`, lead }, me.default_site_id);
  await signIn(page, 'viewer', `/interactions?lead=${lead}`);
  await expect(dataRows(page)).toHaveCount(1);
  await expect(page.locator('table.finder-table').getByRole('checkbox')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Bulk actions' })).toHaveCount(0);
  const refused = await request.post('/api/bulk/selection', { headers: bearer(viewerToken), data: { query: {} } });
  expect(refused.status()).toBe(403);
});
