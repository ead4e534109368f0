import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Import } from '../api/imports';
import { csv, list, makeImport, renderImport, zones } from '../test/imports';
import { apiError, json, mockApi, type FakeRequest } from '../test/utils';

const deletes = (requests: FakeRequest[]) => requests.filter((r) => r.method === 'DELETE').map((r) => r.url.pathname);

describe('import: discarding one not yet run', () => {
  it('offers Discard only where it may be done, asks first, then removes the row and says so', async () => {
    let items: Import[] = [
      makeImport({ id: 9, filename: 'mine.csv' }),
      makeImport({ id: 8, filename: 'theirs.csv', can_discard: false }),
      makeImport({ id: 7, filename: 'done.csv', status: 'done', can_discard: false }),
    ];
    const { requests } = mockApi({
      'GET /api/imports': () => list(items),
      'DELETE /api/imports/:id': () => {
        items = items.filter((i) => i.id !== 9);
        return json(null, 204);
      },
    });
    renderImport();
    const discard = await screen.findByRole('button', { name: 'Discard mine.csv' });
    expect(screen.getAllByRole('button', { name: /^Discard/ })).toHaveLength(1);

    await userEvent.click(discard);
    let dialog = screen.getByRole('dialog', { name: 'Discard this import?' });
    expect(dialog).toHaveTextContent('“mine.csv” and its uploaded file are removed.');
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(deletes(requests)).toEqual([]);
    expect(discard).toHaveFocus();

    await userEvent.click(discard);
    dialog = screen.getByRole('dialog', { name: 'Discard this import?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Discard import' }));
    expect(await screen.findByText('“mine.csv” discarded.')).toBeInTheDocument();
    expect(deletes(requests)).toEqual(['/api/imports/9']);
    await waitFor(() => expect(screen.queryByRole('link', { name: 'mine.csv' })).not.toBeInTheDocument());
    expect(screen.getByRole('heading', { name: 'Recent imports' })).toHaveFocus();
    expect(screen.getByRole('link', { name: 'theirs.csv' })).toBeInTheDocument();
  });

  it('announces a refused discard and keeps the import', async () => {
    mockApi({
      'GET /api/imports': () => list([makeImport({ id: 9, filename: 'mine.csv' })]),
      'DELETE /api/imports/:id': () => apiError(409, 'conflict', 'The import is running: it can no longer be discarded.'),
    });
    renderImport();
    await userEvent.click(await screen.findByRole('button', { name: 'Discard mine.csv' }));
    await userEvent.click(screen.getByRole('button', { name: 'Discard import' }));
    expect(
      await screen.findByText('“mine.csv” was not discarded: The import is running: it can no longer be discarded.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'mine.csv' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Discard mine.csv' })).toHaveFocus();
  });

  it('discards from the columns step and goes back to choosing a file', async () => {
    const { requests } = mockApi({
      'GET /api/imports/:id': () => json(makeImport()),
      'GET /api/meta/timezones': zones,
      'DELETE /api/imports/:id': () => json(null, 204),
      'GET /api/imports': () => list(),
    });
    renderImport('/imports/7');
    await userEvent.click(await screen.findByRole('button', { name: 'Discard' }));
    await userEvent.click(screen.getByRole('button', { name: 'Discard import' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/imports$/));
    expect(deletes(requests)).toEqual(['/api/imports/7']);
    expect(await screen.findByRole('heading', { name: 'Choose a file' })).toHaveFocus();
    expect(screen.getByText('“contacts.csv” discarded.')).toBeInTheDocument();
  });

  it('has no Discard on the columns step of someone else’s import', async () => {
    mockApi({ 'GET /api/imports/:id': () => json(makeImport({ can_discard: false })), 'GET /api/meta/timezones': zones });
    renderImport('/imports/7');
    expect(await screen.findByRole('link', { name: 'Choose another file' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Discard' })).not.toBeInTheDocument();
  });

  it('says plainly when an upload is refused for room, with the server’s way out', async () => {
    const message =
      'Your imports keep 199.9 MB of files, and this one (0.5 MB) would take them past the 200 MB one person may keep. ' +
      'Discard the imports you no longer need (Discard, in the recent imports), then upload the file again.';
    mockApi({
      'GET /api/imports': () => list(),
      'POST /api/imports': () => apiError(409, 'storage_full', message),
    });
    renderImport();
    await userEvent.upload(screen.getByLabelText('Choose a file…'), csv());
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(`Your imports keep as many files as they may. ${message}`);
    expect(alert).not.toHaveTextContent('The file could not be imported.');
    expect(screen.getByTestId('location')).toHaveTextContent(/^\/imports$/);
  });
});
