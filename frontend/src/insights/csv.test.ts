import { describe, expect, it } from 'vitest';
import { neutralise, toCsv } from './csv';

describe('the charts’ CSV', () => {
  it('keeps formula-looking text as text, as the server’s exports do', () => {
    for (const risky of ['=1+2', '+49 30 1234', '-5', '@SUM(A1)', '\tcmd', '\rx']) expect(neutralise(risky)).toBe(`'${risky}`);
    expect(neutralise('Board room')).toBe('Board room');
  });

  it('writes a byte-order mark, CRLF records, quotes only where needed and numbers as they are', () => {
    const csv = toCsv(['Lead', 'Interactions'], [['Díaz, Carla', 3], ['Say "hi"', -1], ['=cmd()', 2]]);
    expect(csv).toBe('\ufeffLead,Interactions\r\n"Díaz, Carla",3\r\n"Say ""hi""",-1\r\n\'=cmd(),2\r\n');
  });
});
