// The centred card that frames the signed-out screens: sign in, forgotten password, new password.
import type { FormEvent, ReactNode, Ref } from 'react';
import { SubmitButton } from './SubmitButton';

interface AuthCardProps {
  title: string;
  /** Given when the page swaps its form for a result: focus moves to the title so the change is announced. */
  titleRef?: Ref<HTMLHeadingElement>;
  /** A way to the neighbouring screen, under the card's content. */
  footer?: ReactNode;
  children: ReactNode;
}

export function AuthCard({ title, titleRef, footer, children }: AuthCardProps) {
  return (
    <main className="login" id="main">
      <div className="login__card">
        <div className="brand brand--large" aria-hidden="true">
          <span className="brand__mark" />
          Interactions
        </div>
        <h1 className="login__title" ref={titleRef} tabIndex={titleRef ? -1 : undefined}>
          {title}
        </h1>
        {children}
        {footer && <p className="login__footer">{footer}</p>}
      </div>
    </main>
  );
}

interface AuthFormProps {
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  busy: boolean;
  /** What the submit button says while the form is sent, e.g. "Signing in…". */
  busyLabel: string;
  submitLabel: string;
  children: ReactNode;
}

/** The form on a card: the page validates (noValidate), the form is busy while sent, one full-width submit ends it. */
export function AuthForm({ onSubmit, busy, busyLabel, submitLabel, children }: AuthFormProps) {
  return (
    <form onSubmit={onSubmit} noValidate aria-busy={busy}>
      {children}
      <SubmitButton busy={busy} busyLabel={busyLabel} block>
        {submitLabel}
      </SubmitButton>
    </form>
  );
}
