import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Import, PreviewRow } from '../api/imports';
import { makeImport, previewRow } from '../test/imports';
import { apiError, json, makeUser, mockApi, renderWithApp, type FakeRequest } from '../test/utils';
import { ImportPage } from './ImportPage';

const renderImport = (route = '/imports', user = makeUser()) =>
  renderWithApp(<ImportPage />, { path: '/imports/:id?', route, user });

const list = (items: Import[] = []) => json({ items, page: 1, page_size: 25, total: items.length, pages: 1 });
const zones = () => json({ items: ['Europe/Berlin', 'Europe/London', 'UTC'] });
const preview = (items: PreviewRow[], total = items.length, imp = makeImport()) =>
  json({ items, total, page: 1, page_size: 25, counts: imp.counts });
const patches = (requests: FakeRequest[]) => requests.filter((r) => r.method === 'PATCH').map((r) => r.body);

const csv = (text = 'Subject,Organiser\nKick-off,Ada\n', name = 'contacts.csv') => new File([text], name, { type: 'text/csv' });

describe('import: choosing a file', () => {
  it('uploads the chosen file as a form and opens its columns at the import’s address', async () => {
    const { requests } = mockApi({
      'GET /api/imports': () => list(),
      'POST /api/imports': () => json(makeImport(), 201),
      'GET /api/imports/:id': () => json(makeImport()),
      'GET /api/meta/timezones': zones,
    });
    renderImport();
    expect(await screen.findByText(/No imports in Headquarters yet/)).toBeInTheDocument();
    expect(screen.getByText(/up to 10 MB/)).toBeInTheDocument();
    await userEvent.upload(screen.getByLabelText('Choose a file…'), csv());
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/imports/7'));
    const upload = requests.find((r) => r.method === 'POST')!;
    expect(upload.body).toBeInstanceOf(FormData);
    expect(((upload.body as FormData).get('file') as File).name).toBe('contacts.csv');
    expect(upload.headers.get('Content-Type')).toBeNull();
    expect(upload.headers.get('X-Site-ID')).toBe('1');
    expect(await screen.findByRole('heading', { name: 'Match the columns' })).toBeInTheDocument();
  });

  it('shows the server’s reason for refusing a file and stays on the first step', async () => {
    mockApi({
      'GET /api/imports': () => list(),
      'POST /api/imports': () => apiError(415, 'unsupported_media_type', 'This is not a CSV, TSV or .xlsx file.'),
    });
    renderImport();
    await userEvent.upload(screen.getByLabelText('Choose a file…'), csv('x', 'notes.txt'));
    expect(await screen.findByRole('alert')).toHaveTextContent('This is not a CSV, TSV or .xlsx file.');
    expect(screen.getByTestId('location')).toHaveTextContent(/^\/imports$/);
  });

  it('refuses a file over the size limit or of another kind without sending it', async () => {
    const { requests } = mockApi({ 'GET /api/imports': () => list() });
    renderImport();
    const input = screen.getByLabelText('Choose a file…');
    const big = csv();
    Object.defineProperty(big, 'size', { value: 11 * 1024 * 1024 });
    await userEvent.upload(input, big);
    expect(await screen.findByRole('alert')).toHaveTextContent('is 11 MB; the import takes files up to 10 MB');
    await userEvent.upload(input, new File(['x'], 'photo.png'), { applyAccept: false });
    expect(await screen.findByRole('alert')).toHaveTextContent('“photo.png” is not a file the import reads');
    expect(requests.filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('lists the recent imports with links to each', async () => {
    mockApi({
      'GET /api/imports': () =>
        list([
          makeImport({ id: 9, filename: 'big.xlsx', status: 'running', progress: { done: 40, total: 100 } }),
          makeImport({ id: 8, status: 'done', counts: { ...makeImport().counts, imported: 3, failed: 1 } }),
        ]),
    });
    renderImport();
    const running = await screen.findByRole('link', { name: 'big.xlsx' });
    expect(running).toHaveAttribute('href', '/imports/9');
    expect(running.closest('li')).toHaveTextContent('Running40 of 100 rows');
    expect(screen.getByRole('link', { name: 'contacts.csv' }).closest('li')).toHaveTextContent('3 imported, 0 skipped, 1 failed');
  });

  it('tells a viewer that importing is for editors and asks the API nothing', async () => {
    const { requests } = mockApi({});
    renderImport('/imports', makeUser('viewer'));
    expect(screen.getByText('Only editors and admins of Headquarters can import interactions.')).toBeInTheDocument();
    expect(screen.queryByLabelText('Choose a file…')).not.toBeInTheDocument();
    expect(requests).toEqual([]);
  });

  it('says so when the import is not in this site', async () => {
    mockApi({ 'GET /api/imports/:id': () => apiError(404, 'not_found', 'Not found') });
    renderImport('/imports/99');
    expect(await screen.findByRole('heading', { name: 'Import not found' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Start an import' })).toHaveAttribute('href', '/imports');
  });
});

describe('import: matching the columns', () => {
  it('saves the whole mapping on each change and lets the preview open once nothing blocks it', async () => {
    let current = makeImport({ problems: ['Column for “Lead” is required: map a column to it'] });
    const { requests } = mockApi({
      'GET /api/imports/:id': () => json(current),
      'PATCH /api/imports/:id': (req) => {
        const mapping = (req.body as { mapping: Record<string, string | null> }).mapping;
        current = makeImport({
          columns: current.columns.map((c) => ({ ...c, field: mapping[String(c.index)] ?? null })),
          problems: mapping['1'] === 'lead' ? [] : current.problems,
        });
        return json(current);
      },
      'GET /api/imports/:id/preview': () => preview([previewRow()]),
      'GET /api/meta/timezones': zones,
    });
    renderImport('/imports/7');
    const organiser = await screen.findByRole('combobox', { name: 'Field for column “Organiser”' });
    expect(organiser).toHaveValue('');
    expect(screen.getByText('Column for “Lead” is required: map a column to it')).toBeInTheDocument();
    const next = screen.getByRole('button', { name: 'Continue to the preview' });
    expect(next).toBeDisabled();
    await userEvent.selectOptions(organiser, 'Lead (required)');
    await waitFor(() => expect(next).toBeEnabled());
    expect(patches(requests)).toEqual([{ mapping: { 0: 'title', 1: 'lead', 2: 'start_datetime' } }]);
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Field for column “Subject”' }), 'Ignore');
    await waitFor(() => expect(patches(requests)).toHaveLength(2));
    expect(patches(requests)[1]).toEqual({ mapping: { 0: null, 1: 'lead', 2: 'start_datetime' } });
    await userEvent.click(next);
    expect(await screen.findByRole('heading', { name: 'Check the rows' })).toHaveFocus();
  });

  it('asks day first or month first for ambiguous dates, with how a sample reads each way', async () => {
    const ambiguous = makeImport().columns.map((c) => (c.index === 2 ? { ...c, date_order: null, date_order_ambiguous: true } : c));
    let current = makeImport({ columns: ambiguous });
    const { requests } = mockApi({
      'GET /api/imports/:id': () => json(current),
      'PATCH /api/imports/:id': (req) => {
        const orders = (req.body as { date_orders: Record<string, 'day_first'> }).date_orders;
        current = makeImport({ columns: ambiguous.map((c) => (c.index === 2 ? { ...c, date_order: orders['2']! } : c)) });
        return json(current);
      },
      'GET /api/meta/timezones': zones,
    });
    renderImport('/imports/7');
    const group = await screen.findByRole('group', { name: /How are dates written in “When”\?/ });
    expect(screen.getByText('Choose how the dates in “When” are written: day first or month first.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Continue to the preview' })).toBeDisabled();
    expect(within(group).getByRole('radio', { name: 'Day first – 03/04/2026 reads 3 April 2026' })).not.toBeChecked();
    await userEvent.click(within(group).getByRole('radio', { name: 'Month first – 03/04/2026 reads 4 March 2026' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Continue to the preview' })).toBeEnabled());
    expect(patches(requests)).toEqual([{ date_orders: { 2: 'month_first' } }]);
    expect(within(group).getByRole('radio', { name: /Month first/ })).toBeChecked();
  });

  it('offers the zones with the import’s own chosen, the site’s marked, and the sheets of a workbook', async () => {
    const user = makeUser();
    user.sites[0]!.default_timezone = 'Europe/Berlin';
    const { requests } = mockApi({
      'GET /api/imports/:id': () => json(makeImport({ format: 'xlsx', sheets: ['2025', '2026'], sheet: '2025' })),
      'PATCH /api/imports/:id': (req) => json(makeImport({ ...(req.body as object), format: 'xlsx', sheets: ['2025', '2026'] })),
      'GET /api/meta/timezones': zones,
    });
    renderImport('/imports/7', user);
    const zone = await screen.findByRole('combobox', { name: 'Time zone of times written without one' });
    await screen.findByRole('option', { name: 'UTC' });
    expect(zone).toHaveValue('Europe/Berlin');
    expect(within(zone).getByRole('option', { name: 'Europe/Berlin (the site’s)' })).toBeInTheDocument();
    await userEvent.selectOptions(zone, 'Europe/London');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Sheet' }), '2026');
    await waitFor(() => expect(patches(requests)).toEqual([{ timezone: 'Europe/London' }, { sheet: '2026' }]));
  });

  it('shows a refused change', async () => {
    mockApi({
      'GET /api/imports/:id': () => json(makeImport()),
      'PATCH /api/imports/:id': () => apiError(409, 'conflict', 'This import has already started.'),
      'GET /api/meta/timezones': zones,
    });
    renderImport('/imports/7');
    await userEvent.selectOptions(await screen.findByRole('combobox', { name: 'Field for column “Organiser”' }), 'Lead (required)');
    expect(await screen.findByRole('alert')).toHaveTextContent('The change was not saved: This import has already started.');
  });
});

async function openPreview(handlers: Parameters<typeof mockApi>[0]) {
  const api = mockApi({ 'GET /api/imports/:id': () => json(makeImport()), 'GET /api/meta/timezones': zones, ...handlers });
  const utils = renderImport('/imports/7');
  await userEvent.click(await screen.findByRole('button', { name: 'Continue to the preview' }));
  await screen.findByRole('heading', { name: 'Check the rows' });
  return { ...api, ...utils };
}

describe('import: preview', () => {
  it('shows the counts and marks an invalid cell with its message', async () => {
    await openPreview({
      'GET /api/imports/:id/preview': () =>
        preview([
          previewRow(),
          previewRow({ row: 3, values: { title: 'Review', lead: null, start_datetime: null }, errors: { start_datetime: ['Not a date: “31/31/2026”.'] } }),
          previewRow({ row: 4, duplicate: true }),
        ]),
    });
    const counts = screen.getByText('Valid').closest('dl')!;
    expect(counts).toHaveTextContent('Valid3Invalid1Duplicates1');
    const table = await screen.findByRole('table');
    const invalid = within(table).getByRole('cell', { description: 'Not a date: “31/31/2026”.' });
    expect(invalid).toHaveAttribute('aria-invalid', 'true');
    expect(invalid.closest('tr')).toHaveTextContent(/^3/);
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Row', 'Title', 'Start']);
    expect(within(table).getByRole('rowheader', { name: '4 Duplicate' })).toBeInTheDocument();
  });

  it('filters to the invalid rows or the duplicates from the first page, and pages', async () => {
    const { requests } = await openPreview({
      'GET /api/imports/:id/preview': (req) =>
        preview([previewRow({ row: Number(req.url.searchParams.get('page')) * 100 })], 60),
    });
    await screen.findByRole('rowheader', { name: '100' });
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await screen.findByRole('rowheader', { name: '200' });
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Show' }), 'Only invalid rows');
    await screen.findByRole('rowheader', { name: '100' });
    const asked = requests.filter((r) => r.url.pathname.endsWith('/preview')).map((r) => r.url.search);
    expect(asked).toEqual(['?page=1&page_size=25&only=all', '?page=2&page_size=25&only=all', '?page=1&page_size=25&only=invalid']);
  });

  it('says when the filter leaves nothing', async () => {
    await openPreview({
      'GET /api/imports/:id/preview': (req) => preview(req.url.searchParams.get('only') === 'duplicate' ? [] : [previewRow()]),
    });
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Show' }), 'Only duplicates');
    expect(await screen.findByText('No duplicates.')).toBeInTheDocument();
  });

  it('saves the choice to import duplicates too', async () => {
    const { requests } = await openPreview({
      'GET /api/imports/:id/preview': () => preview([previewRow()]),
      'PATCH /api/imports/:id': (req) => json(makeImport(req.body as Partial<Import>)),
    });
    expect(screen.getByRole('radio', { name: 'Skip duplicates' })).toBeChecked();
    await userEvent.click(screen.getByRole('radio', { name: 'Import them too' }));
    await waitFor(() => expect(patches(requests)).toEqual([{ duplicates: 'import' }]));
    expect(screen.getByRole('radio', { name: 'Import them too' })).toBeChecked();
  });

  it('shows why the run was refused', async () => {
    await openPreview({
      'GET /api/imports/:id/preview': () => preview([previewRow()]),
      'POST /api/imports/:id/run': () => apiError(422, 'validation_error', 'Choose how the dates in “When” are written.'),
    });
    await userEvent.click(screen.getByRole('button', { name: 'Start the import' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Choose how the dates in “When” are written.');
  });
});

describe('import: run and report', () => {
  beforeEach(() => {
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:failed'), revokeObjectURL: vi.fn() }));
  });
  afterEach(() => vi.unstubAllGlobals());

  const doneCounts = { rows: 5, valid: 3, invalid: 1, duplicate: 1, imported: 3, skipped: 1, failed: 1 };

  it('runs, follows the progress by polling, and reports what was imported', async () => {
    let started = false;
    let polls = 0;
    const running = (done: number) => makeImport({ status: 'running', progress: { done, total: 3 } });
    const { requests, queryClient } = await openPreview({
      'GET /api/imports/:id': () => {
        if (!started) return json(makeImport());
        polls += 1;
        return json(polls < 2 ? running(2) : makeImport({ status: 'done', counts: doneCounts, progress: { done: 3, total: 3 } }));
      },
      'GET /api/imports/:id/preview': () => preview([previewRow()]),
      'POST /api/imports/:id/run': () => {
        started = true;
        return json(running(0), 202);
      },
    });
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    await userEvent.click(screen.getByRole('button', { name: 'Start the import' }));
    const bar = await screen.findByRole('progressbar', { name: 'Rows imported' });
    expect(requests.filter((r) => r.method === 'POST').map((r) => r.url.pathname)).toEqual(['/api/imports/7/run']);
    await waitFor(() => expect(bar).toHaveAttribute('aria-valuenow', '2'));
    expect(bar).toHaveAttribute('aria-valuetext', '2 of 3 rows');
    expect(await screen.findByRole('heading', { name: 'Import finished' })).toHaveFocus();
    const result = screen.getByText('Imported').closest('dl')!;
    expect(result).toHaveTextContent('Imported3Skipped1Failed1');
    // The Finder's records are refreshed once the run is over.
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ['interactions', 1] });
  });

  it('downloads the failed rows with the site header', async () => {
    const { requests } = mockApi({
      'GET /api/imports/:id': () => json(makeImport({ status: 'done', counts: doneCounts })),
      'GET /api/imports/:id/failed.csv': () =>
        new Response('Subject,Reason\nX,End before start\n', {
          headers: { 'Content-Type': 'text/csv', 'Content-Disposition': 'attachment; filename="contacts-failed.csv"' },
        }),
    });
    const clicks: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this.download);
    });
    renderImport('/imports/7');
    await userEvent.click(await screen.findByRole('button', { name: 'Download failed rows' }));
    await waitFor(() => expect(clicks).toEqual(['contacts-failed.csv']));
    expect(requests.at(-1)!.headers.get('X-Site-ID')).toBe('1');
    click.mockRestore();
    expect(screen.getByRole('link', { name: 'Import a corrected file' })).toHaveAttribute('href', '/imports');
    expect(screen.getByRole('link', { name: 'Open in the Finder' })).toHaveAttribute('href', '/interactions');
  });

  it('undoes after a confirmation that says how many records go, then says it is done', async () => {
    const undoUntil = new Date(Date.now() + 86_400_000).toISOString();
    const done = makeImport({ status: 'done', counts: doneCounts, undo_until: undoUntil });
    const { requests } = mockApi({
      'GET /api/imports/:id': () => json(done),
      'POST /api/imports/:id/undo': () => json({ ...done, status: 'undone' }),
    });
    renderImport('/imports/7');
    await userEvent.click(await screen.findByRole('button', { name: 'Undo import' }));
    const dialog = screen.getByRole('dialog', { name: 'Undo this import?' });
    expect(dialog).toHaveTextContent('This removes the 3 records this import added to Headquarters.');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(requests.filter((r) => r.method === 'POST')).toEqual([]);
    await userEvent.click(screen.getByRole('button', { name: 'Undo import' }));
    await userEvent.click(screen.getByRole('button', { name: 'Remove 3 records' }));
    expect((await screen.findByText('Import undone: 3 records removed from Headquarters.')).closest('[role=status]')).not.toBeNull();
    expect(requests.filter((r) => r.method === 'POST').map((r) => r.url.pathname)).toEqual(['/api/imports/7/undo']);
    expect(screen.queryByRole('button', { name: 'Undo import' })).not.toBeInTheDocument();
  });

  it('offers no undo past its window and shows a refused undo', async () => {
    mockApi({ 'GET /api/imports/:id': () => json(makeImport({ status: 'done', counts: doneCounts, undo_until: '2026-01-01T00:00:00Z' })) });
    renderImport('/imports/7');
    await screen.findByRole('heading', { name: 'Import finished' });
    expect(screen.queryByRole('button', { name: 'Undo import' })).not.toBeInTheDocument();
  });

  it('resumes a stopped import', async () => {
    const { requests } = mockApi({
      'GET /api/imports/:id': () => json(makeImport({ status: 'failed', progress: { done: 1, total: 3 }, counts: { ...doneCounts, imported: 1 } })),
      'POST /api/imports/:id/run': () => json(makeImport({ status: 'running', progress: { done: 1, total: 3 } }), 202),
    });
    renderImport('/imports/7');
    expect(await screen.findByText(/The import stopped after 1 of 3 rows/)).toBeInTheDocument();
    await act(() => userEvent.click(screen.getByRole('button', { name: 'Resume import' })));
    expect(await screen.findByRole('progressbar')).toHaveAttribute('aria-valuenow', '1');
    expect(requests.filter((r) => r.method === 'POST').map((r) => r.url.pathname)).toEqual(['/api/imports/7/run']);
  });
});
