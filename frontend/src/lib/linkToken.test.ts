import { describe, expect, it } from 'vitest';
import { tokenFrom } from './linkToken';

describe('tokenFrom', () => {
  it('reads the token from the fragment, where mailed links now carry it', () => {
    expect(tokenFrom('#token=abc.DEF-1_2', '')).toBe('abc.DEF-1_2');
  });
  it('still reads links mailed with the token in the query', () => {
    expect(tokenFrom('', '?token=old')).toBe('old');
  });
  it('prefers the fragment and gives an empty string when neither holds one', () => {
    expect(tokenFrom('#token=new', '?token=old')).toBe('new');
    expect(tokenFrom('#other=1', '?x=2')).toBe('');
  });
});
