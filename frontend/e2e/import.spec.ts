// The spreadsheet import end to end: a CSV with a column matched by hand and two invalid rows, its preview, the run
// and report, the failed rows downloaded, corrected and imported again, the records in the Finder, and the first
// import undone. Every screen of the import is checked with axe and at 390 px; a viewer is offered no import.
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { dataRows, expect, expectNoSeriousA11yViolations, readmeScreenshot, signIn, test, unique } from './helpers';

test.use({ locale: 'en-GB', timezoneId: 'Europe/Berlin' });

/** Minimal CSV reading (quoted cells, doubled quotes, CRLF, a byte-order mark), enough for the failed rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const source = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i]!;
    if (quoted) {
      if (char === '"' && source[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[i + 1] === '\n') i += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += char;
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows.filter((r) => r.some((c) => c !== ''));
}

const toCsv = (rows: string[][]) => `${rows.map((r) => r.join(',')).join('\r\n')}\r\n`;

/** No serious axe violation, at desktop width and at 390 px, where nothing sticks out sideways. */
async function checkScreen(page: Page) {
  await expectNoSeriousA11yViolations(page);
  const desktop = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expectNoSeriousA11yViolations(page);
  if (desktop) await page.setViewportSize(desktop);
}

const count = (page: Page, label: string) =>
  page.locator('.import-counts > div').filter({ has: page.getByText(label, { exact: true }) }).locator('dd');

/** Uploads `csv` from the import's first screen and matches every column to `fields` (null: Ignore) by hand. */
async function uploadAndMatch(page: Page, filename: string, csv: string, fields: Record<string, string | null>) {
  await page.getByLabel('Choose a file…').setInputFiles({ name: filename, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(page.getByRole('heading', { name: 'Match the columns' })).toBeVisible();
  await expect(page).toHaveURL(/\/imports\/\d+$/);
  // "Who" is not a name the matching knows: it starts ignored, and without a lead the preview stays shut.
  const who = page.getByRole('combobox', { name: 'Field for column “Who”' });
  await expect(who).toHaveValue('');
  const next = page.getByRole('button', { name: 'Continue to the preview' });
  await expect(next).toBeDisabled();
  for (const [header, field] of Object.entries(fields)) {
    const select = page.getByRole('combobox', { name: `Field for column “${header}”` });
    await select.selectOption(field ?? '');
    await expect(select).toHaveValue(field ?? '');
  }
  await expect(next).toBeEnabled();
}

const COLUMNS = {
  Title: 'title',
  Type: 'type',
  Who: 'lead',
  Start: 'start_datetime',
  End: 'end_datetime',
  Location: 'location',
} as const;

test('imports a CSV, reports and re-imports its corrected failed rows, and undoes the import', async ({ page }, testInfo) => {
  test.slow(); // two imports and a dozen axe checks: minutes on a busy machine
  const word = unique('imported');
  const header = Object.keys(COLUMNS);
  const rows = [
    [`${word} alpha`, 'Meeting', 'Ada Lovelace', '2026-03-10 09:00', '2026-03-10 10:00', 'Room 1'],
    [`${word} beta`, 'Call', 'Grace Hopper', '2026-03-11 14:00', '2026-03-11 14:30', 'Phone'],
    [`${word} gamma`, 'Visit', 'Alan Turing', '2026-03-12 11:00', '2026-03-12 12:00', 'Site B'],
    // Invalid: the end before the start, and a type the site does not know.
    [`${word} delta`, 'Meeting', 'Ada Lovelace', '2026-03-13 10:00', '2026-03-13 09:00', 'Room 2'],
    [`${word} epsilon`, 'Party', 'Grace Hopper', '2026-03-14 10:00', '2026-03-14 11:00', 'Hall'],
  ];

  await signIn(page, 'editor');
  await page.getByRole('link', { name: 'Import', exact: true }).click();
  await expect(page).toHaveURL(/\/imports$/);
  await expect(page.getByRole('heading', { name: 'Choose a file' })).toBeVisible();
  await expect(page.getByText(/up to \d+ MB/)).toBeVisible();
  await checkScreen(page);

  // Columns: "Who" matched to the lead by hand.
  await uploadAndMatch(page, `${word}.csv`, toCsv([header, ...rows]), COLUMNS);
  await checkScreen(page);
  await readmeScreenshot(page, testInfo, 'import-mapping.png');

  // Preview: three valid rows, two invalid; the end before the start is marked on its cell, with the reason.
  await page.getByRole('button', { name: 'Continue to the preview' }).click();
  await expect(page.getByRole('heading', { name: 'Check the rows' })).toBeFocused();
  await expect(count(page, 'Valid')).toHaveText('3');
  await expect(count(page, 'Invalid')).toHaveText('2');
  await expect(count(page, 'Duplicates')).toHaveText('0');
  const table = page.getByRole('table');
  await expect(table.getByRole('rowheader')).toHaveText(['2', '3', '4', '5', '6']);
  await page.getByRole('combobox', { name: 'Show' }).selectOption('invalid');
  await expect(table.getByRole('rowheader')).toHaveText(['5', '6']);
  const endBeforeStart = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '5', exact: true }) });
  const invalidCell = endBeforeStart.locator('td[aria-invalid="true"]');
  await expect(invalidCell).toHaveCount(1);
  await expect(invalidCell).toHaveAccessibleDescription(/\w/);
  const reason = invalidCell.locator('.cell-error');
  await expect(reason).toBeVisible();
  expect(await invalidCell.getAttribute('aria-describedby')).toBe(await reason.getAttribute('id'));
  const endColumn = await table.getByRole('columnheader').allTextContents();
  const cells = await endBeforeStart.locator('td').evaluateAll((tds) => tds.map((td) => td.getAttribute('aria-invalid')));
  // The row header comes first; the marked cell sits under the end's column.
  expect(endColumn[cells.indexOf('true') + 1]).toMatch(/^End/);
  await checkScreen(page);
  await readmeScreenshot(page, testInfo, 'import-preview.png');

  // Run: the progress shows until the report replaces it.
  await page.getByRole('button', { name: 'Start the import' }).click();
  await expect(page.getByRole('heading', { name: 'Import finished' })).toBeVisible({ timeout: 60_000 });
  const firstImport = page.url();
  await expect(count(page, 'Imported')).toHaveText('3');
  await expect(count(page, 'Skipped')).toHaveText('0');
  await expect(count(page, 'Failed')).toHaveText('2');
  await checkScreen(page);
  await readmeScreenshot(page, testInfo, 'import-report.png');

  // The failed rows: the file's own columns and a "Reason".
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download failed rows' }).click();
  const failed = parseCsv(await readFile((await (await download).path())!, 'utf8'));
  expect(failed[0]).toEqual([...header, 'Reason']);
  expect(failed.slice(1).map((r) => r[0])).toEqual([`${word} delta`, `${word} epsilon`]);
  expect(failed.slice(1).every((r) => (r[header.length] ?? '').trim() !== '')).toBe(true);
  const fixed = failed.map((r, i) => {
    if (i === 0) return r;
    const row = [...r];
    if (row[1] === 'Party') row[1] = 'Other';
    if (row[0] === `${word} delta`) row[4] = '2026-03-13 11:00';
    return row;
  });

  // The corrected file: its "Reason" column left out, every row valid.
  await page.getByRole('link', { name: 'Import a corrected file' }).click();
  await expect(page).toHaveURL(/\/imports$/);
  await expect(page.getByRole('link', { name: `${word}.csv` })).toBeVisible();
  await uploadAndMatch(page, `${word}-fixed.csv`, toCsv(fixed), { ...COLUMNS, Reason: null });
  await page.getByRole('button', { name: 'Continue to the preview' }).click();
  await expect(count(page, 'Valid')).toHaveText('2');
  await expect(count(page, 'Invalid')).toHaveText('0');
  await page.getByRole('button', { name: 'Start the import' }).click();
  await expect(page.getByRole('heading', { name: 'Import finished' })).toBeVisible({ timeout: 60_000 });
  await expect(count(page, 'Imported')).toHaveText('2');
  await expect(count(page, 'Failed')).toHaveText('0');
  await expect(page.getByRole('button', { name: 'Download failed rows' })).toHaveCount(0);

  // All five in the Finder.
  await page.getByRole('link', { name: 'Open in the Finder' }).click();
  await page.getByRole('searchbox', { name: 'Search interactions' }).fill(word);
  await expect(dataRows(page)).toHaveCount(5);
  await expect(page.getByRole('link', { name: `${word} delta` })).toBeVisible();

  // Undo the first import from the list of recent imports: its three records go, the corrected two stay.
  await page.getByRole('link', { name: 'Import', exact: true }).click();
  await page.getByRole('link', { name: `${word}.csv` }).click();
  await expect(page).toHaveURL(firstImport);
  await page.getByRole('button', { name: 'Undo import' }).click();
  const dialog = page.getByRole('dialog', { name: 'Undo this import?' });
  await expect(dialog).toContainText('removes the 3 records this import added');
  await expectNoSeriousA11yViolations(page);
  await dialog.getByRole('button', { name: 'Remove 3 records' }).click();
  await expect(page.getByText(/Import undone: 3 records removed/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Undo import' })).toHaveCount(0);
  await checkScreen(page);

  await page.getByRole('link', { name: 'Open in the Finder' }).click();
  await page.getByRole('searchbox', { name: 'Search interactions' }).fill(word);
  await expect(dataRows(page)).toHaveCount(2);
  await expect(page.getByRole('link', { name: `${word} delta` })).toBeVisible();
  await expect(page.getByRole('link', { name: `${word} epsilon` })).toBeVisible();
  await expect(page.getByRole('link', { name: `${word} alpha` })).toHaveCount(0);

  // The recent imports say which is undone.
  await page.getByRole('link', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('listitem').filter({ has: page.getByRole('link', { name: `${word}.csv` }) })).toContainText('Undone');
  await checkScreen(page);
});

test('a viewer is offered no import', async ({ page }) => {
  await signIn(page, 'viewer');
  await expect(dataRows(page).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Export CSV' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Import', exact: true })).toHaveCount(0);
  await page.goto('/imports');
  await expect(page.getByText(/^Only editors and admins of .+ can import interactions\.$/)).toBeVisible();
  await expect(page.getByLabel('Choose a file…')).toHaveCount(0);
});
