import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, json, makeInteraction, mockApi, renderWithApp } from '../test/utils';
import { InteractionFormPage } from './InteractionFormPage';

const zones = () => json({ items: ['Europe/Berlin', 'UTC'] });

async function deleteFromForm() {
  renderWithApp(<InteractionFormPage />, { path: '/interactions/:id', route: '/interactions/11' });
  await userEvent.click(await screen.findByRole('button', { name: 'Delete' }));
  await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete' }));
}

describe('Undo after delete', () => {
  it('offers Undo in the toast, which restores the record', async () => {
    const { requests } = mockApi({
      'GET /api/meta/timezones': zones,
      'GET /api/interactions/:id': () => json(makeInteraction()),
      'DELETE /api/interactions/:id': () => json(null, 204),
      'POST /api/interactions/deleted/11/restore': () => json(makeInteraction()),
    });
    await deleteFromForm();
    const toast = await screen.findByText('Deleted “Quarterly review”');
    await userEvent.click(within(toast.parentElement as HTMLElement).getByRole('button', { name: 'Undo' }));
    expect(await screen.findByText('Restored “Quarterly review”')).toBeInTheDocument();
    const restore = requests.find((r) => r.url.pathname === '/api/interactions/deleted/11/restore');
    expect(restore?.method).toBe('POST');
    expect(restore?.headers.get('X-Site-ID')).toBe('1');
  });

  it('says so when the Undo fails', async () => {
    mockApi({
      'GET /api/meta/timezones': zones,
      'GET /api/interactions/:id': () => json(makeInteraction()),
      'DELETE /api/interactions/:id': () => json(null, 204),
      'POST /api/interactions/deleted/11/restore': () => apiError(403, 'forbidden', 'Only administrators can restore records that someone else deleted.'),
    });
    await deleteFromForm();
    await userEvent.click(await screen.findByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(screen.getByText(/could not be restored: Only administrators/)).toBeInTheDocument());
  });
});
