import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { PasswordStrength } from './PasswordStrength';

describe('Password strength', () => {
  it('shows the length rule before anything is typed', () => {
    render(<PasswordStrength id="s" password="" />);
    expect(screen.getByText(/At least 10 characters/)).not.toHaveClass('is-met');
    expect(screen.queryByText(/Strength:/)).not.toBeInTheDocument();
  });

  it('rates a common password very weak and a long random one very strong', async () => {
    const { rerender } = render(<PasswordStrength id="s" password="password123" />);
    expect(await screen.findByText('Very weak')).toBeInTheDocument();
    expect(screen.getByText(/At least 10 characters/)).toHaveClass('is-met');
    rerender(<PasswordStrength id="s" password="tangerine-Orbit-47-quietly" />);
    expect(await screen.findByText('Very strong')).toBeInTheDocument();
  });

  it('counts the person’s own name as easy to guess', async () => {
    const { rerender } = render(<PasswordStrength id="s" password="dana.scully1993" />);
    const alone = await screen.findByText(/^(Weak|Fair|Strong|Very strong)$/);
    const without = alone.textContent;
    rerender(<PasswordStrength id="s" password="dana.scully1993" userInputs={['dana.scully', 'Dana Scully']} />);
    await screen.findByText(/Very weak|Weak/);
    expect(screen.getByText(/Very weak|Weak/).textContent).not.toBe(without);
  });
});
