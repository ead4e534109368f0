import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { csv, list, makeImport, patches, preview, previewRow, renderImport, zones } from '../test/imports';
import { apiError, json, makeUser, mockApi } from '../test/utils';

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
    expect(screen.getByText(/up to 20 MB/)).toBeInTheDocument();
    await userEvent.upload(screen.getByLabelText('Choose a file…'), csv());
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/imports/7'));
    const upload = requests.find((r) => r.method === 'POST')!;
    expect(upload.body).toBeInstanceOf(FormData);
    expect(((upload.body as FormData).get('file') as File).name).toBe('contacts.csv');
    expect(upload.headers.get('Content-Type')).toBeNull();
    expect(upload.headers.get('X-Site-ID')).toBe('1');
    expect(await screen.findByRole('heading', { name: 'Match the columns' })).toHaveFocus();
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
    Object.defineProperty(big, 'size', { value: 21 * 1024 * 1024 });
    await userEvent.upload(input, big);
    expect(await screen.findByRole('alert')).toHaveTextContent('is 21 MB; the import takes files up to 20 MB');
    await userEvent.upload(input, new File(['x'], 'photo.png'), { applyAccept: false });
    expect(await screen.findByRole('alert')).toHaveTextContent('“photo.png” is not a file the import reads');
    expect(requests.filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('takes a file dropped on the zone', async () => {
    const { requests } = mockApi({
      'GET /api/imports': () => list(),
      'POST /api/imports': () => json(makeImport(), 201),
      'GET /api/imports/:id': () => json(makeImport()),
      'GET /api/meta/timezones': zones,
    });
    renderImport();
    const zone = screen.getByText('Drop the file here, or').parentElement!;
    fireEvent.dragOver(zone, { dataTransfer: { files: [] } });
    expect(zone).toHaveClass('drop-zone--over');
    fireEvent.drop(zone, { dataTransfer: { files: [csv('a,b\n1,2\n', 'dropped.tsv')] } });
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/imports/7'));
    expect(((requests.find((r) => r.method === 'POST')!.body as FormData).get('file') as File).name).toBe('dropped.tsv');
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
          version: current.version + 1,
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
    expect(patches(requests)).toEqual([{ mapping: { 0: 'title', 1: 'lead', 2: 'start_datetime' }, version: 1 }]);
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Field for column “Subject”' }), 'Ignore');
    await waitFor(() => expect(patches(requests)).toHaveLength(2));
    expect(patches(requests)[1]).toEqual({ mapping: { 0: null, 1: 'lead', 2: 'start_datetime' }, version: 2 });
    await waitFor(() => expect(next).toBeEnabled());
    await userEvent.click(next);
    expect(await screen.findByRole('heading', { name: 'Check the rows' })).toHaveFocus();
  });

  it('sends one change at a time: those made meanwhile go as one, the latest, and the preview waits for it', async () => {
    // Each PATCH is answered only when the test says so.
    const answers: (() => void)[] = [];
    let stored = makeImport();
    const { requests } = mockApi({
      'GET /api/imports/:id': () => json(stored),
      'PATCH /api/imports/:id': async (req) => {
        await new Promise<void>((resolve) => answers.push(resolve));
        const mapping = (req.body as { mapping: Record<string, string | null> }).mapping;
        stored = makeImport({ columns: stored.columns.map((c) => ({ ...c, field: mapping[String(c.index)] ?? null })), version: stored.version + 1 });
        return json(stored);
      },
      'GET /api/imports/:id/preview': () => preview([previewRow()]),
      'GET /api/meta/timezones': zones,
    });
    renderImport('/imports/7');
    const field = (column: string) => screen.getByRole('combobox', { name: `Field for column “${column}”` });
    const next = () => screen.getByRole('button', { name: 'Continue to the preview' });
    await userEvent.selectOptions(await screen.findByRole('combobox', { name: 'Field for column “Organiser”' }), 'Lead (required)');
    await userEvent.selectOptions(field('Subject'), 'Ignore');
    await userEvent.selectOptions(field('When'), 'Ignore');
    expect(patches(requests)).toEqual([{ mapping: { 0: 'title', 1: 'lead', 2: 'start_datetime' }, version: 1 }]);
    expect([field('Subject'), field('Organiser'), field('When')].map((s) => (s as HTMLSelectElement).value)).toEqual(['', 'lead', '']);
    expect(screen.getByText('Saving your changes…')).toHaveAttribute('role', 'status');
    expect(next()).toBeDisabled();
    answers[0]!();
    await waitFor(() => expect(patches(requests)).toHaveLength(2));
    expect(patches(requests)[1]).toEqual({ mapping: { 0: null, 1: 'lead', 2: null }, version: 2 });
    // the first answer (Subject still a title) does not undo what was chosen since; the preview still waits
    expect([field('Subject'), field('Organiser'), field('When')].map((s) => (s as HTMLSelectElement).value)).toEqual(['', 'lead', '']);
    expect(next()).toBeDisabled();
    answers[1]!();
    expect(await screen.findByText('All changes saved')).toHaveAttribute('role', 'status');
    expect(patches(requests)).toHaveLength(2);
    expect(stored.columns.map((c) => c.field)).toEqual([null, 'lead', null]);
    await userEvent.click(next());
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
    expect(patches(requests)).toEqual([{ date_orders: { 2: 'month_first' }, version: 1 }]);
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
    await waitFor(() => expect(patches(requests)).toEqual([{ timezone: 'Europe/London', version: 1 }, { sheet: '2026', version: 1 }]));
  });

  it('keeps a refused change on the screen with the reason, and sends it again built on what is stored', async () => {
    let refuse = true;
    const { requests } = mockApi({
      'GET /api/imports/:id': () => json(makeImport()),
      'PATCH /api/imports/:id': (req) => {
        if (refuse) {
          const message = 'The import’s mapping was changed elsewhere (in another tab, or by someone else) since you loaded it.';
          return apiError(409, 'version_conflict', message, { current: makeImport({ version: 4 }) });
        }
        const mapping = (req.body as { mapping: Record<string, string | null> }).mapping;
        return json(makeImport({ columns: makeImport().columns.map((c) => ({ ...c, field: mapping[String(c.index)] ?? null })), version: 5 }));
      },
      'GET /api/meta/timezones': zones,
    });
    renderImport('/imports/7');
    const organiser = await screen.findByRole('combobox', { name: 'Field for column “Organiser”' });
    await userEvent.selectOptions(organiser, 'Lead (required)');
    expect(await screen.findByRole('alert')).toHaveTextContent('The change was not saved: The import’s mapping was changed elsewhere');
    expect(organiser).toHaveValue('lead');
    expect(screen.getByRole('button', { name: 'Continue to the preview' })).toBeDisabled();
    refuse = false;
    await userEvent.click(within(screen.getByRole('alert')).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.queryByRole('alert')).not.toBeInTheDocument());
    expect(patches(requests)).toEqual([
      { mapping: { 0: 'title', 1: 'lead', 2: 'start_datetime' }, version: 1 },
      { mapping: { 0: 'title', 1: 'lead', 2: 'start_datetime' }, version: 4 },
    ]);
    expect(organiser).toHaveValue('lead');
    expect(screen.getByRole('button', { name: 'Continue to the preview' })).toBeEnabled();
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
