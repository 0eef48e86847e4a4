import { describe, expect, it } from 'vitest';
import { parseSpendCsv } from './spend.js';

describe('spend from CSV', () => {
  it('reads channel and spend columns in any case and order, adding up repeated channels', () => {
    expect(parseSpendCsv('Spend,Channel\n10,email\n2.5,display\n5,email\n')).toEqual({
      email: 15,
      display: 2.5,
    });
    expect(parseSpendCsv('label,cost\npaid search,100\n')).toEqual({ 'paid search': 100 });
  });

  it('rejects a file without the columns, a negative or non-numeric amount, or an empty channel', () => {
    for (const text of [
      'channel,budget\nemail,20\n',
      'channel,spend\nemail,-1\n',
      'channel,spend\nemail,$20\n',
      'channel,spend\n,20\n',
    ])
      expect(() => parseSpendCsv(text)).toThrowError(
        expect.objectContaining({ code: 'PW_ATTRIBUTION_BAD_SPEND' }),
      );
  });
});
