import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Interaction } from '../api/types';
import { apiError, json, makeInteraction, makeUser, mockApi, renderWithApp } from '../test/utils';
import { InteractionFormPage } from './InteractionFormPage';

const zones = () => json({ items: ['America/New_York', 'Asia/Kolkata', 'Europe/Berlin', 'Europe/London', 'UTC'] });

const renderEdit = (user = makeUser()) =>
  renderWithApp(<InteractionFormPage />, { path: '/interactions/:id', route: '/interactions/11', user });
const renderNew = () => renderWithApp(<InteractionFormPage />, { path: '/interactions/new', route: '/interactions/new' });

/** The record loads, and every save answers that `current` was saved in between. */
const conflictWith = (current: Interaction) =>
  mockApi({
    'GET /api/meta/timezones': zones,
    'GET /api/interactions/:id': () => json(makeInteraction()),
    'PUT /api/interactions/:id': () => apiError(409, 'version_conflict', 'Changed meanwhile', { current }),
  });

const typeAndSave = async (label: RegExp, text: string) => {
  await userEvent.type(await screen.findByLabelText(label), text);
  await userEvent.click(screen.getByRole('button', { name: 'Save' }));
};

describe('Interaction form', () => {
  it('loads the interaction with times in its own zone', async () => {
    mockApi({ 'GET /api/meta/timezones': zones, 'GET /api/interactions/:id': () => json(makeInteraction()) });
    renderEdit();
    expect(await screen.findByLabelText(/^Title/)).toHaveValue('Quarterly review');
    expect(screen.getByLabelText(/^Start/)).toHaveValue('2026-11-24T09:30');
    expect(screen.getByRole('combobox', { name: /Time zone/ })).toHaveValue('Europe/Berlin');
  });

  it('shows inline errors with the API rules before sending anything', async () => {
    const { requests } = mockApi({ 'GET /api/meta/timezones': zones });
    renderNew();
    await userEvent.click(await screen.findByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Enter a title.')).toBeInTheDocument();
    expect(screen.getByText('Choose a type.')).toBeInTheDocument();
    expect(screen.getByText('Enter who leads this interaction.')).toBeInTheDocument();
    expect(screen.getByLabelText(/^Title/)).toHaveAttribute('aria-invalid', 'true');
    await waitFor(() => expect(screen.getByLabelText(/^Title/)).toHaveFocus());
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('flags an end before the start on the end field', async () => {
    mockApi({ 'GET /api/meta/timezones': zones, 'GET /api/interactions/:id': () => json(makeInteraction()) });
    renderEdit();
    const end = await screen.findByLabelText(/^End/);
    await userEvent.clear(end);
    await userEvent.type(end, '2026-11-24T08:00');
    await userEvent.tab();
    expect(await screen.findByText('The end must be the same as or after the start.')).toBeInTheDocument();
  });

  it('creates an interaction with the times in the chosen zone', async () => {
    const { requests } = mockApi({
      'GET /api/meta/timezones': zones,
      'POST /api/interactions': (req) => json(makeInteraction({ ...(req.body as object), id: 99 }), 201),
      'GET /api/interactions': () => json({ items: [], page: 1, page_size: 25, total: 0, pages: 0, total_exact: true }),
    });
    renderNew();
    await userEvent.type(await screen.findByLabelText(/^Title/), 'Supplier call');
    await userEvent.selectOptions(screen.getByLabelText(/^Type/), 'Call');
    await userEvent.type(screen.getByLabelText(/^Lead/), 'Ana Lima');
    const zone = screen.getByRole('combobox', { name: /Time zone/ });
    await userEvent.click(zone);
    await userEvent.type(zone, 'kolk');
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(zone).toHaveValue('Asia/Kolkata'));
    await userEvent.type(screen.getByLabelText(/^Start/), '2026-11-24T09:30');
    await waitFor(() => expect(screen.getByLabelText(/^End/)).toHaveValue('2026-11-24T10:30'));
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/interactions$/));
    const body = requests.find((r) => r.method === 'POST')!.body as Record<string, string>;
    expect(body).toMatchObject({
      title: 'Supplier call',
      type: 'Call',
      lead: 'Ana Lima',
      timezone: 'Asia/Kolkata',
      start_datetime: '2026-11-24T09:30:00+05:30',
      end_datetime: '2026-11-24T10:30:00+05:30',
    });
  });

  it('puts the server’s validation errors on their fields', async () => {
    mockApi({
      'GET /api/meta/timezones': zones,
      'GET /api/interactions/:id': () => json(makeInteraction()),
      'PUT /api/interactions/:id': () =>
        apiError(422, 'validation_error', 'Invalid input', { lead: ['Lead is not a known person.'] }),
    });
    renderEdit();
    await userEvent.type(await screen.findByLabelText(/^Notes/), ' more');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Lead is not a known person.')).toBeInTheDocument();
    expect(screen.getByLabelText(/^Lead/)).toHaveAttribute('aria-invalid', 'true');
    await waitFor(() => expect(screen.getByLabelText(/^Lead/)).toHaveFocus());
  });

  it('explains a version conflict and overwrites with the current version when asked', async () => {
    const theirs = makeInteraction({ version: 4, title: 'Renamed by Bob', updated_by: { id: 2, display_name: 'Bob' } });
    const { requests } = mockApi({
      'GET /api/meta/timezones': zones,
      'GET /api/interactions/:id': () => json(makeInteraction()),
      'GET /api/interactions': () => json({ items: [], page: 1, page_size: 25, total: 0, pages: 0, total_exact: true }),
      'PUT /api/interactions/:id': (req) =>
        (req.body as { version: number }).version === 3
          ? apiError(409, 'version_conflict', 'Changed meanwhile', { current: theirs })
          : json({ ...theirs, ...(req.body as object), version: 5 }),
    });
    renderEdit();
    await userEvent.type(await screen.findByLabelText(/^Notes/), ' and signed');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    const dialog = await screen.findByRole('dialog', { name: 'Bob changed this interaction' });
    expect(within(dialog).getByText(/^Bob saved it at \d\d\/\d\d\/2026, \d\d:\d\d/)).toBeInTheDocument();
    expect(within(dialog).getByText('Title, Notes')).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Overwrite with mine' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/interactions$/));
    const puts = requests.filter((r) => r.method === 'PUT').map((r) => (r.body as { version: number }).version);
    expect(puts).toEqual([3, 4]);
  });

  it('reloads the other person’s version from the conflict dialog', async () => {
    conflictWith(makeInteraction({ version: 4, title: 'Renamed by Bob' }));
    renderEdit();
    await typeAndSave(/^Notes/, ' and signed');
    await userEvent.click(await screen.findByRole('button', { name: 'Reload their version' }));
    await waitFor(() => expect(screen.getByLabelText(/^Title/)).toHaveValue('Renamed by Bob'));
    expect(screen.getByLabelText(/^Notes/)).toHaveValue('Budget approved');
  });

  it('asks before deleting', async () => {
    const { requests } = mockApi({
      'GET /api/meta/timezones': zones,
      'GET /api/interactions/:id': () => json(makeInteraction()),
      'DELETE /api/interactions/:id': () => json(null, 204),
    });
    renderEdit();
    await userEvent.click(await screen.findByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete this interaction?' });
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus());
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(requests.some((r) => r.method === 'DELETE')).toBe(true));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/interactions$/));
  });

  it('warns before leaving with unsaved changes', async () => {
    mockApi({ 'GET /api/meta/timezones': zones, 'GET /api/interactions/:id': () => json(makeInteraction()) });
    renderEdit();
    await userEvent.type(await screen.findByLabelText(/^Title/), '!');
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(await screen.findByRole('dialog', { name: 'Discard unsaved changes?' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Keep editing' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Discard unsaved changes?' })).not.toBeInTheDocument());
    expect(screen.getByTestId('location')).toHaveTextContent('/interactions/11');
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Discard changes' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/interactions$/));
  });

  it('is read-only for viewers', async () => {
    mockApi({ 'GET /api/meta/timezones': zones, 'GET /api/interactions/:id': () => json(makeInteraction()) });
    renderEdit(makeUser('viewer'));
    expect(await screen.findByLabelText(/^Title/)).toBeDisabled();
    expect(screen.getByText(/view-only access/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Save' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument();
  });

  it('says so when the interaction does not exist in this site', async () => {
    mockApi({ 'GET /api/meta/timezones': zones, 'GET /api/interactions/:id': () => apiError(404, 'not_found', 'Not found') });
    renderEdit();
    expect(await screen.findByText('Interaction not found')).toBeInTheDocument();
  });

  it('says it was the same person, in another tab or window, and when', async () => {
    conflictWith(makeInteraction({ version: 4, notes: 'From my other tab', updated_by: { id: 7, display_name: 'Eddie Editor' } }));
    renderEdit();
    await typeAndSave(/^Location/, ' B');
    const dialog = await screen.findByRole('dialog', { name: 'You changed this interaction in another tab or window' });
    expect(within(dialog).getByText(/^You saved it in another tab or window at 02\/11\/2026, 10:00 UTC/)).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Load the saved version' })).toBeInTheDocument();
  });

  it('saves a draft as you type and offers it back after a reload, until it is saved', async () => {
    const { requests } = mockApi({
      'GET /api/meta/timezones': zones,
      'POST /api/interactions': (req) => json(makeInteraction({ ...(req.body as object), id: 99 }), 201),
      'GET /api/interactions': () => json({ items: [], page: 1, page_size: 25, total: 0, pages: 0, total_exact: true }),
    });
    const first = renderNew();
    await userEvent.type(await screen.findByLabelText(/^Title/), 'Half-written visit');
    await userEvent.type(screen.getByLabelText(/^Notes/), 'Bring the plans');
    // Per user (7) and site (1), for a new record.
    await waitFor(() => expect(localStorage.getItem('ims.draft.7.1.new')).toContain('Bring the plans'));
    first.unmount();

    renderNew();
    const offer = await screen.findByRole('region', { name: 'Unsaved draft' });
    expect(screen.getByLabelText(/^Title/)).toHaveValue('');
    await userEvent.click(within(offer).getByRole('button', { name: 'Restore draft' }));
    await waitFor(() => expect(screen.getByLabelText(/^Title/)).toHaveValue('Half-written visit'));
    expect(screen.getByLabelText(/^Notes/)).toHaveValue('Bring the plans');
    expect(screen.queryByRole('region', { name: 'Unsaved draft' })).not.toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText(/^Type/), 'Visit');
    await userEvent.type(screen.getByLabelText(/^Lead/), 'Ana Lima');
    await userEvent.type(screen.getByLabelText(/^Start/), '2026-11-24T09:30');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(requests.some((r) => r.method === 'POST')).toBe(true));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/interactions$/));
    expect(localStorage.getItem('ims.draft.7.1.new')).toBeNull();
  });

  it('discards a draft on request, and restores an edit with the version it started from', async () => {
    const stored = (notes: string, version: number) =>
      JSON.stringify({ values: { ...makeInteraction(), start_datetime: '2026-11-24T09:30', end_datetime: '2026-11-24T10:30', notes }, version, savedAt: '2026-11-20T10:00:00Z' });
    const { requests } = mockApi({
      'GET /api/meta/timezones': zones,
      'GET /api/interactions/:id': () => json(makeInteraction()),
      'PUT /api/interactions/:id': () => apiError(409, 'version_conflict', 'Changed meanwhile', { current: makeInteraction() }),
    });
    localStorage.setItem('ims.draft.7.1.11', stored('Discard me', 2));
    const first = renderEdit();
    await userEvent.click(await screen.findByRole('button', { name: 'Discard' }));
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Unsaved draft' })).not.toBeInTheDocument());
    expect(localStorage.getItem('ims.draft.7.1.11')).toBeNull();
    expect(screen.getByLabelText(/^Notes/)).toHaveValue('Budget approved');
    first.unmount();

    localStorage.setItem('ims.draft.7.1.11', stored('Edited on version 2', 2));
    renderEdit();
    await userEvent.click(await screen.findByRole('button', { name: 'Restore draft' }));
    await waitFor(() => expect(screen.getByLabelText(/^Notes/)).toHaveValue('Edited on version 2'));
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    // Saved against version 2, not the loaded 3: a save made after the draft is reported, not overwritten.
    await waitFor(() => expect(requests.filter((r) => r.method === 'PUT').map((r) => (r.body as { version: number }).version)).toEqual([2]));
  });

  it('offers no draft of someone else, or of another site', async () => {
    mockApi({ 'GET /api/meta/timezones': zones, 'GET /api/interactions/:id': () => json(makeInteraction()) });
    localStorage.setItem('ims.draft.8.1.11', JSON.stringify({ values: { ...makeInteraction(), notes: 'Not yours' }, version: 3, savedAt: '2026-11-20T10:00:00Z' }));
    localStorage.setItem('ims.draft.7.2.11', JSON.stringify({ values: { ...makeInteraction(), notes: 'Other site' }, version: 3, savedAt: '2026-11-20T10:00:00Z' }));
    renderEdit();
    expect(await screen.findByLabelText(/^Notes/)).toHaveValue('Budget approved');
    expect(screen.queryByRole('region', { name: 'Unsaved draft' })).not.toBeInTheDocument();
  });
});

describe('New interaction time zone', () => {
  it('starts in the site’s default time zone when the site has one', async () => {
    mockApi({ 'GET /api/meta/timezones': zones });
    const user = { ...makeUser(), sites: [{ id: 1, name: 'Headquarters', role: 'editor' as const, default_timezone: 'Asia/Kolkata' }] };
    renderWithApp(<InteractionFormPage />, { path: '/interactions/new', route: '/interactions/new', user });
    expect(await screen.findByRole('combobox', { name: /Time zone/ })).toHaveValue('Asia/Kolkata');
  });
});
