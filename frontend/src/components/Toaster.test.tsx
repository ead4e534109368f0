import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { Toaster, useToast, type ToastAction } from './Toaster';

function Buttons({ action }: { action?: ToastAction }) {
  const toast = useToast();
  return (
    <>
      <button type="button" onClick={() => toast(`Saved ${Math.random().toFixed(3)}`)}>save</button>
      <button type="button" onClick={() => toast('Could not save', 'error')}>fail</button>
      <button type="button" onClick={() => toast('Deleted “A”', 'success', action)}>delete</button>
    </>
  );
}

describe('toasts', () => {
  it('shows at most one of each kind: a newer one replaces the older', async () => {
    render(<Toaster><Buttons /></Toaster>);
    await userEvent.click(screen.getByRole('button', { name: 'save' }));
    await userEvent.click(screen.getByRole('button', { name: 'save' }));
    await userEvent.click(screen.getByRole('button', { name: 'save' }));
    await userEvent.click(screen.getByRole('button', { name: 'fail' }));
    await waitFor(() => expect(screen.getAllByRole('button', { name: 'Dismiss notification' })).toHaveLength(2));
    expect(screen.getAllByText(/^Saved /)).toHaveLength(1);
    expect(screen.getByText('Could not save')).toBeInTheDocument();
  });

  it('carries an action, such as Undo, that runs once and closes the toast', async () => {
    const onClick = vi.fn();
    render(<Toaster><Buttons action={{ label: 'Undo', onClick }} /></Toaster>);
    await userEvent.click(screen.getByRole('button', { name: 'delete' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Undo' }));
    expect(onClick).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(screen.queryByText('Deleted “A”')).not.toBeInTheDocument());
  });
});
