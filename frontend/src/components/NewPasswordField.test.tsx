import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { NewPasswordField } from './NewPasswordField';

describe('New password field', () => {
  it('is described by the strength meter, and by its error first when there is one', () => {
    const input = { value: 'short', onChange: () => {} };
    const { rerender } = render(<NewPasswordField id="pw" label="New password" password="short" input={input} />);
    const field = screen.getByLabelText('New password');
    expect(field).toHaveAttribute('type', 'password');
    expect(field).toHaveAttribute('autocomplete', 'new-password');
    expect(field).toHaveAttribute('aria-required', 'true');
    expect(field).toHaveAttribute('aria-describedby', 'pw-strength');
    expect(document.getElementById('pw-strength')).toHaveTextContent('At least 10 characters');
    rerender(<NewPasswordField id="pw" label="New password" password="short" error="Use at least 10 characters." input={input} />);
    expect(field).toHaveAttribute('aria-describedby', 'pw-error pw-strength');
    expect(field).toHaveAttribute('aria-invalid', 'true');
  });
});
