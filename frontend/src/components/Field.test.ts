import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { fieldErrorsOf } from './Field';

describe('fieldErrorsOf', () => {
  it('joins each field’s messages into one sentence', () => {
    const error = new ApiError(422, 'validation_error', 'Invalid input.', { email: ['Taken.', 'Too long.'], username: 'Taken.' });
    expect(fieldErrorsOf(error)).toEqual({ email: 'Taken. Too long.', username: 'Taken.' });
  });

  it('is empty for failures that are not about fields', () => {
    expect(fieldErrorsOf(new ApiError(409, 'conflict', 'Already there.'))).toEqual({});
    expect(fieldErrorsOf(new TypeError('offline'))).toEqual({});
  });
});
