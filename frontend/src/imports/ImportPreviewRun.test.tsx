import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Import } from '../api/imports';
import { makeImport, patches, preview, previewRow, renderImport, zones } from '../test/imports';
import { apiError, json, mockApi } from '../test/utils';

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
    await waitFor(() => expect(patches(requests)).toEqual([{ duplicates: 'import', version: 1 }]));
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
