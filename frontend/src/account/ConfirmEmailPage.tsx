// Opens the link mailed to a new e-mail address (#token=…): the address becomes the account's, once.
// Reachable signed out: the link's token is the credential.
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { accountKeys, confirmEmailChange } from '../api/account';
import { describeError, isApiError } from '../api/client';
import { AuthCard } from '../components/AuthCard';
import { useLinkToken } from '../lib/linkToken';
import { useSession } from '../session/SessionContext';
import { FullPageLoading } from '../components/Spinner';
import { useDocumentTitle } from '../lib/useDocumentTitle';

type Outcome = { state: 'confirming' } | { state: 'done'; email: string } | { state: 'invalid-link' } | { state: 'failed'; message: string };

export function ConfirmEmailPage() {
  const token = useLinkToken();
  const { status, refreshUser } = useSession();
  const queryClient = useQueryClient();
  const [outcome, setOutcome] = useState<Outcome>(token ? { state: 'confirming' } : { state: 'invalid-link' });
  const started = useRef(false);
  const titleRef = useRef<HTMLHeadingElement>(null);
  useDocumentTitle('Confirm your new e-mail address');

  const confirm = useCallback(async () => {
    setOutcome({ state: 'confirming' });
    try {
      const { email } = await confirmEmailChange(token);
      setOutcome({ state: 'done', email });
      void queryClient.invalidateQueries({ queryKey: accountKeys.mine });
    } catch (error) {
      // 400: invalid, expired, replaced or used; anything else (offline, rate limit) may work on a retry.
      setOutcome(isApiError(error) && error.status === 400 ? { state: 'invalid-link' } : { state: 'failed', message: describeError(error) });
    }
  }, [token, queryClient]);

  useEffect(() => {
    // Once per page, even when React runs effects twice: a second confirmation would find the link used.
    if (!token || started.current) return;
    started.current = true;
    void confirm();
  }, [token, confirm]);

  const signedIn = status === 'signed-in';
  useEffect(() => {
    if (outcome.state === 'done' && signedIn) void refreshUser();
  }, [outcome.state, signedIn, refreshUser]);
  useEffect(() => {
    if (outcome.state !== 'confirming') titleRef.current?.focus();
  }, [outcome.state]);

  const onward = signedIn ? (
    <Link to="/account" className="button button--primary button--block">
      Go to My account
    </Link>
  ) : (
    <Link to="/login" className="button button--primary button--block">
      Sign in
    </Link>
  );

  if (outcome.state === 'confirming') return <FullPageLoading label="Confirming your new e-mail address…" />;
  if (outcome.state === 'done') {
    return (
      <AuthCard title="E-mail address changed" titleRef={titleRef}>
        <p className="notice notice--info" role="status">
          {outcome.email} is now the e-mail address of your account. Reset links and notices go there from now on.
        </p>
        {onward}
      </AuthCard>
    );
  }
  if (outcome.state === 'failed') {
    return (
      <AuthCard title="Your e-mail address is not changed yet" titleRef={titleRef}>
        <p className="notice notice--error" role="alert">
          {outcome.message}
        </p>
        <button type="button" className="button button--primary button--block" onClick={() => void confirm()}>
          Try again
        </button>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="This link does not work" titleRef={titleRef}>
      <p className="notice notice--error" role="alert">
        This confirmation link is invalid, has expired, was replaced by a newer request or has already been used. Your e-mail
        address is unchanged; ask for a new link from My account.
      </p>
      {onward}
    </AuthCard>
  );
}
