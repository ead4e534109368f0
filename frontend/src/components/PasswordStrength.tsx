// Wherever a password is chosen: the rule the API enforces, and how hard the password would be to guess (zxcvbn-ts).
import { useEffect, useState } from 'react';
import type { Strength } from './passwordScore';

/** The shortest password the API accepts. */
export const MIN_PASSWORD_LENGTH = 10;

const LABELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const;

/** The estimate for `password`, computed after the dictionaries load; null until then or when empty. */
export function usePasswordStrength(password: string, userInputs: string[]): Strength | null {
  const [strength, setStrength] = useState<Strength | null>(null);
  const inputs = userInputs.join('\n');
  useEffect(() => {
    let current = true;
    if (!password) return;
    void import('./passwordScore').then(({ scorePassword }) => {
      if (current) setStrength(scorePassword(password, inputs.split('\n')));
    });
    return () => {
      current = false;
    };
  }, [password, inputs]);
  return password ? strength : null;
}

interface Props {
  id: string;
  password: string;
  /** Words of this person (username, name, e-mail) that make a password easy to guess. */
  userInputs?: string[];
}

export function PasswordStrength({ id, password, userInputs = [] }: Props) {
  const strength = usePasswordStrength(password, userInputs);
  const longEnough = password.length >= MIN_PASSWORD_LENGTH;
  const score = strength?.score ?? 0;
  return (
    <div id={id} className="strength">
      <p className={`strength__rule${longEnough ? ' is-met' : ''}`}>
        <span aria-hidden="true">{longEnough ? '✓' : '•'}</span> At least {MIN_PASSWORD_LENGTH} characters
        {password && <span className="visually-hidden">{longEnough ? ' (met)' : ' (not yet)'}</span>}
      </p>
      {strength && (
        <div aria-live="polite">
          <div className="strength__bar" data-score={score} aria-hidden="true">
            {[0, 1, 2, 3].map((n) => (
              <span key={n} className={n < Math.max(1, score) ? 'is-on' : undefined} />
            ))}
          </div>
          <p className="strength__label">
            Strength: <strong>{LABELS[score]}</strong>
            {strength.warning && <span> — {strength.warning}</span>}
          </p>
          {score < 3 && strength.suggestions.length > 0 && <p className="field-help">{strength.suggestions.join(' ')}</p>}
        </div>
      )}
    </div>
  );
}
