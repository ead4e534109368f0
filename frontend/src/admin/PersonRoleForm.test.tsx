import { QueryClient, QueryClientProvider, useMutation } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { PersonRoleForm, type PersonRole } from './PersonRoleForm';

function setup(send: (vars: PersonRole) => Promise<unknown>) {
  function Harness() {
    const save = useMutation({ mutationFn: send });
    return (
      <PersonRoleForm
        id="invite-email"
        roleId="invite-role"
        label="E-mail address"
        help="They get a link."
        defaultRole="editor"
        check={(email) => (email.includes('@') ? null : 'Enter an e-mail address.')}
        apiField="email"
        save={save}
        submitLabel="Send invitation"
      />
    );
  }
  render(
    <QueryClientProvider client={new QueryClient()}>
      <Harness />
    </QueryClientProvider>,
  );
  return screen.getByLabelText('E-mail address');
}

describe('Person and role form', () => {
  it('stops an invalid value and says why next to the field, in place of the help', async () => {
    const send = vi.fn();
    const input = setup(send);
    expect(input).toHaveAttribute('aria-describedby', 'invite-email-help');
    await userEvent.type(input, 'nobody');
    await userEvent.click(screen.getByRole('button', { name: 'Send invitation' }));
    expect(send).not.toHaveBeenCalled();
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAttribute('aria-describedby', 'invite-email-error');
    expect(screen.getByText('Enter an e-mail address.')).toHaveAttribute('id', 'invite-email-error');
    expect(screen.queryByText('They get a link.')).not.toBeInTheDocument();
  });

  it('sends the person and the chosen role, then empties the field', async () => {
    const send = vi.fn().mockResolvedValue({});
    const input = setup(send);
    await userEvent.type(input, 'sam@example.org');
    await userEvent.selectOptions(screen.getByLabelText('Role'), 'admin');
    await userEvent.click(screen.getByRole('button', { name: 'Send invitation' }));
    await waitFor(() => expect(input).toHaveValue(''));
    expect(send.mock.calls[0]?.[0]).toEqual({ person: 'sam@example.org', role: 'admin' });
  });

  it('shows the API’s error for its field, else the API’s message', async () => {
    const send = vi
      .fn()
      .mockRejectedValueOnce(new ApiError(422, 'validation_error', 'Invalid input.', { email: ['Already invited.'] }))
      .mockRejectedValueOnce(new ApiError(409, 'conflict', 'Already a member.'));
    const input = setup(send);
    await userEvent.type(input, 'sam@example.org');
    await userEvent.click(screen.getByRole('button', { name: 'Send invitation' }));
    expect(await screen.findByText('Already invited.')).toHaveAttribute('id', 'invite-email-error');
    await userEvent.click(screen.getByRole('button', { name: 'Send invitation' }));
    expect(await screen.findByText('Already a member.')).toHaveAttribute('id', 'invite-email-error');
    expect(input).toHaveValue('sam@example.org');
  });
});
