// The admin form that names a person and gives them a role: add someone by inviting their e-mail address.
import type { UseMutationResult } from '@tanstack/react-query';
import { useState, type InputHTMLAttributes } from 'react';
import type { Role } from '../api/types';
import { Field, fieldAria } from '../components/Field';
import { RoleSelect } from './RoleSelect';
import { fieldMessage } from './useAdminMutation';

export interface PersonRole {
  person: string;
  role: Role;
}

interface PersonRoleFormProps {
  /** Ids of the person input and of the role select. */
  id: string;
  roleId: string;
  label: string;
  /** Shown under the input while there is no error. */
  help?: string;
  input?: Pick<InputHTMLAttributes<HTMLInputElement>, 'type' | 'autoComplete'>;
  defaultRole: Role;
  /** The sentence that stops a send, or null when the value may go. */
  check: (person: string) => string | null;
  /** The API's name of the person field, whose error shows under the input. */
  apiField: string;
  save: UseMutationResult<unknown, unknown, PersonRole>;
  submitLabel: string;
}

export function PersonRoleForm({ id, roleId, label, help, input, defaultRole, check, apiField, save, submitLabel }: PersonRoleFormProps) {
  const [person, setPerson] = useState('');
  const [role, setRole] = useState<Role>(defaultRole);
  const [error, setError] = useState<string | null>(null);
  const shownHelp = error ? undefined : help;
  return (
    <form
      className="admin-form"
      onSubmit={(e) => {
        e.preventDefault();
        const problem = check(person);
        setError(problem);
        if (problem) return;
        save.mutate({ person, role }, { onSuccess: () => setPerson(''), onError: (err) => setError(fieldMessage(err, apiField)) });
      }}
    >
      <Field id={id} label={label} error={error ?? undefined} help={shownHelp}>
        <input {...fieldAria(id, { error: error ?? undefined, help: Boolean(shownHelp) })} {...input} value={person} onChange={(e) => setPerson(e.target.value)} />
      </Field>
      <RoleSelect id={roleId} value={role} onChange={setRole} />
      <button type="submit" className="button button--primary" disabled={save.isPending}>
        {submitLabel}
      </button>
    </form>
  );
}
