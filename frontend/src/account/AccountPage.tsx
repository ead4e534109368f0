// My account: name and default site; e-mail change confirmed from the new address; password change with
// strength; sign out everywhere.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { accountQueries, changePassword, logoutEverywhere, requestEmailChange, updateAccount } from '../api/account';
import { describeError } from '../api/client';
import type { Account } from '../api/types';
import { useSession } from '../session/SessionContext';
import { MIN_PASSWORD_LENGTH } from '../components/PasswordStrength';
import { saveSiteId } from '../session/storage';
import { Field, fieldAria, fieldErrorsOf } from '../components/Field';
import { PageHead } from '../components/PageHead';
import { NewPasswordField } from '../components/NewPasswordField';
import { Spinner } from '../components/Spinner';
import { SubmitButton } from '../components/SubmitButton';
import { useToast } from '../components/Toaster';
import { useDocumentTitle } from '../lib/useDocumentTitle';

type Errors = Record<string, string | undefined>;

/** A save whose 422 field errors land on the fields and whose other failures become a toast. */
function useSave(setErrors: (errors: Errors) => void) {
  const toast = useToast();
  const [saving, setSaving] = useState(false);
  const run = async (work: () => Promise<string>) => {
    setSaving(true);
    try {
      toast(await work());
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (Object.keys(fields).length) setErrors(fields);
      else toast(describeError(error), 'error');
    } finally {
      setSaving(false);
    }
  };
  return { saving, run };
}

function ProfileForm() {
  const account = useQuery(accountQueries.mine());
  if (account.isPending) return <Spinner label="Loading your account…" />;
  if (account.isError) return <p className="notice notice--error" role="alert">{describeError(account.error)}</p>;
  const reload = () => void account.refetch();
  return (
    <>
      {/* Keyed by the saved values: a refetch when the window regains focus must not reset what is being typed. */}
      <ProfileFields key={`${account.data.display_name}|${account.data.default_site_id}`} account={account.data} onSaved={reload} />
      <EmailPanel account={account.data} onRequested={reload} />
    </>
  );
}

function ProfileFields({ account, onSaved }: { account: Account; onSaved: () => void }) {
  const { refreshUser } = useSession();
  const [values, setValues] = useState({
    display_name: account.display_name,
    default_site_id: account.default_site_id ? String(account.default_site_id) : '',
  });
  const [errors, setErrors] = useState<Errors>({});
  const { saving, run } = useSave(setErrors);

  const save = async () => {
    const problems: Errors = {};
    if (!values.display_name.trim()) problems.display_name = 'Enter the name others see.';
    setErrors(problems);
    if (Object.keys(problems).length) return;
    await run(async () => {
      await updateAccount({
        display_name: values.display_name.trim(),
        default_site_id: values.default_site_id ? Number(values.default_site_id) : null,
      });
      // The default site is what opens first: make it the remembered choice too.
      if (values.default_site_id && Number(values.default_site_id) !== account.default_site_id) {
        saveSiteId(account.id, Number(values.default_site_id));
      }
      await refreshUser();
      onSaved();
      return 'Your account is saved';
    });
  };
  const set = (name: keyof typeof values) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: e.target.value }));

  return (
    <form className="panel stack" noValidate aria-labelledby="profile-title" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <h2 id="profile-title">Profile</h2>
      <p className="muted">Signed in as {account.username}.</p>
      <Field id="account-name" label="Display name" required error={errors.display_name}>
        <input {...fieldAria('account-name', { error: errors.display_name, required: true })} autoComplete="name" value={values.display_name} maxLength={150} onChange={set('display_name')} />
      </Field>
      <Field id="account-site" label="Default site" error={errors.default_site_id} help="The site you see first after signing in.">
        <select {...fieldAria('account-site', { error: errors.default_site_id, help: true })} value={values.default_site_id} onChange={set('default_site_id')}>
          {account.sites.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </Field>
      <div>
        <SubmitButton busy={saving} busyLabel="Saving…">
          Save profile
        </SubmitButton>
      </div>
    </form>
  );
}

const EMAIL_SHAPE = /^\S+@\S+\.\S+$/;

/** The address, and its change: the new address and the current password; nothing changes until the link
 * mailed to the new address is opened. Auth0 accounts get their address from the identity provider. */
function EmailPanel({ account, onRequested }: { account: Account; onRequested: () => void }) {
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState({ new_email: '', current_password: '' });
  const [errors, setErrors] = useState<Errors>({});
  const { saving, run } = useSave(setErrors);
  const set = (name: keyof typeof values) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: e.target.value }));

  const send = async () => {
    const problems: Errors = {};
    if (!EMAIL_SHAPE.test(values.new_email.trim())) problems.new_email = 'Enter a complete e-mail address, like name@example.org.';
    if (!values.current_password) problems.current_password = 'Enter your current password.';
    setErrors(problems);
    if (Object.keys(problems).length) return;
    await run(async () => {
      const pending = await requestEmailChange(values.current_password, values.new_email.trim());
      setValues({ new_email: '', current_password: '' });
      setOpen(false);
      onRequested();
      return `We sent a confirmation link to ${pending.new_email}`;
    });
  };

  return (
    <section className="panel stack account-email" aria-labelledby="email-title">
      <h2 id="email-title">E-mail</h2>
      <p>
        <span className="muted">Reset links and notices go to</span> <strong>{account.email}</strong>
      </p>
      {account.pending_email && (
        <p className="notice notice--info" role="status">
          We sent a link to {account.pending_email}. Open it within 24 hours to make it your address; until then {account.email} stays
          your address.
        </p>
      )}
      {!account.has_password ? (
        <p className="muted">Your e-mail address is managed by your organisation’s sign-in provider.</p>
      ) : open ? (
        <form className="stack" noValidate aria-label="Change e-mail" onSubmit={(e) => { e.preventDefault(); void send(); }}>
          <Field id="email-new" label="New e-mail address" required error={errors.new_email} help="We send a link there; the change takes effect when you open it.">
            <input {...fieldAria('email-new', { error: errors.new_email, required: true, help: true })} type="email" autoComplete="email" maxLength={254} value={values.new_email} onChange={set('new_email')} />
          </Field>
          <Field id="email-password" label="Current password" required error={errors.current_password}>
            <input {...fieldAria('email-password', { error: errors.current_password, required: true })} type="password" autoComplete="current-password" value={values.current_password} onChange={set('current_password')} />
          </Field>
          <div className="row-actions">
            <SubmitButton busy={saving} busyLabel="Sending…">
              Send confirmation link
            </SubmitButton>
            <button type="button" className="button" onClick={() => { setOpen(false); setErrors({}); }}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div>
          <button type="button" className="button" onClick={() => setOpen(true)}>
            Change e-mail
          </button>
        </div>
      )}
    </section>
  );
}

function PasswordForm({ hints }: { hints: string[] }) {
  const [values, setValues] = useState({ current: '', next: '', confirmation: '' });
  const [errors, setErrors] = useState<Errors>({});
  const { saving, run } = useSave(setErrors);
  const set = (name: keyof typeof values) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: e.target.value }));

  const save = async () => {
    const problems: Errors = {};
    if (!values.current) problems.current_password = 'Enter your current password.';
    if (values.next.length < MIN_PASSWORD_LENGTH) problems.new_password = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
    if (values.confirmation !== values.next) problems.confirmation = 'The two passwords do not match.';
    setErrors(problems);
    if (Object.keys(problems).length) return;
    await run(async () => {
      await changePassword(values.current, values.next);
      setValues({ current: '', next: '', confirmation: '' });
      return 'Your password is changed';
    });
  };

  return (
    <form className="panel stack" noValidate aria-labelledby="password-title" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <h2 id="password-title">Password</h2>
      <Field id="pw-current" label="Current password" required error={errors.current_password}>
        <input {...fieldAria('pw-current', { error: errors.current_password, required: true })} type="password" autoComplete="current-password" value={values.current} onChange={set('current')} />
      </Field>
      <NewPasswordField
        id="pw-new"
        label="New password"
        markRequired
        error={errors.new_password}
        password={values.next}
        userInputs={hints}
        input={{ value: values.next, onChange: set('next') }}
      />
      <Field id="pw-confirm" label="Confirm new password" required error={errors.confirmation}>
        <input {...fieldAria('pw-confirm', { error: errors.confirmation, required: true })} type="password" autoComplete="new-password" value={values.confirmation} onChange={set('confirmation')} />
      </Field>
      <div>
        <SubmitButton busy={saving} busyLabel="Saving…">
          Change password
        </SubmitButton>
      </div>
    </form>
  );
}

export function SignOutEverywhere() {
  const { endSession } = useSession();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  return (
    <section className="panel stack" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Sessions</h2>
      <p>Signed in on a shared or lost device? End every session of your account, this one included.</p>
      <div>
        <button
          type="button"
          className="button button--danger"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            try {
              await logoutEverywhere();
              endSession();
            } catch (error) {
              toast(describeError(error), 'error');
              setBusy(false);
            }
          }}
        >
          Sign out everywhere
        </button>
      </div>
    </section>
  );
}

export function AccountPage() {
  const { user, mode } = useSession();
  useDocumentTitle('My account');
  return (
    <div className="form-page">
      <PageHead title="My account" subtitle={user?.display_name} />
      <div className="stack">
        <ProfileForm />
        {mode === 'local' ? (
          <PasswordForm hints={[user?.username ?? '', user?.email ?? '', user?.display_name ?? '']} />
        ) : (
          <p className="notice notice--info">Your password is managed by your organisation’s sign-in provider.</p>
        )}
        <SignOutEverywhere />
      </div>
    </div>
  );
}
