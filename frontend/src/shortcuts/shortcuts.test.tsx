import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { SHORTCUTS } from './keymap';
import { ShortcutsHost } from './ShortcutsHost';
import { useShortcut } from './useShortcut';

function Harness({ onNew, onSave }: { onNew: () => void; onSave: () => void }) {
  useShortcut('new', onNew);
  useShortcut('save', onSave);
  return (
    <>
      <label>
        Title <input />
      </label>
      <ShortcutsHost />
    </>
  );
}

function setup() {
  const onNew = vi.fn();
  const onSave = vi.fn();
  render(<Harness onNew={onNew} onSave={onSave} />);
  return { onNew, onSave, user: userEvent.setup() };
}

describe('keyboard shortcuts', () => {
  it('fire from the page but a letter typed into a field is only typing', async () => {
    const { onNew, user } = setup();
    await user.keyboard('n');
    expect(onNew).toHaveBeenCalledTimes(1);

    await user.type(screen.getByLabelText('Title'), 'new name');
    expect(screen.getByLabelText('Title')).toHaveValue('new name');
    expect(onNew).toHaveBeenCalledTimes(1);
  });

  it('save with Ctrl+S from inside a field', async () => {
    const { onSave, user } = setup();
    await user.click(screen.getByLabelText('Title'));
    await user.keyboard('{Control>}s{/Control}');
    expect(onSave).toHaveBeenCalledTimes(1);
  });

  it('stay quiet behind an open dialog', async () => {
    const { onNew, user } = setup();
    await user.keyboard('?');
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    await user.keyboard('n');
    expect(onNew).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('are all listed in the help, with the keys to press', async () => {
    const { user } = setup();
    await user.keyboard('?');
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    for (const label of ['Search', 'New interaction', 'Next row', 'Previous row', 'Open the selected row', 'Close, or back to the list']) {
      expect(within(dialog).getByText(label)).toBeInTheDocument();
    }
    expect(within(dialog).getAllByRole('definition')).toHaveLength(Object.keys(SHORTCUTS).length);
    expect(within(dialog).getByText('/').tagName).toBe('KBD');
  });
});
