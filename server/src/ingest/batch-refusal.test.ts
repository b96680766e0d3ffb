import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../errors/catalogue.ts';
import { batchRefusal } from './batch-refusal.ts';

const refused = (...codes: ErrorCode[]) => ({ accepted: 0, duplicates: 0, rejected: codes.map((code, index) => ({ index, error: { code, message: `${code} ${index}` } })) });

describe('the answer to a batch of which nothing was stored', () => {
  it('is the code every refused item shares, when it is a conflict or a forbidden source', () => {
    expect(batchRefusal(refused('VIGIE_EVENT_CONFLICT', 'VIGIE_EVENT_CONFLICT'))).toEqual({ code: 'VIGIE_EVENT_CONFLICT', message: 'no item stored: all 2 items were refused; the first: VIGIE_EVENT_CONFLICT 0' });
    expect(batchRefusal(refused('VIGIE_TOKEN_FORBIDDEN'))).toEqual({ code: 'VIGIE_TOKEN_FORBIDDEN', message: 'no item stored: the item was refused; the first: VIGIE_TOKEN_FORBIDDEN 0' });
    expect(batchRefusal(refused('VIGIE_VALIDATION'))?.code).toBe('VIGIE_EVENT_INVALID');
  });

  it('is 400 VIGIE_EVENT_INVALID for any mix: a conflict among invalid items is no conflict of the batch', () => {
    expect(batchRefusal(refused('VIGIE_EVENT_CONFLICT', 'VIGIE_VALIDATION'))?.code).toBe('VIGIE_EVENT_INVALID');
    expect(batchRefusal(refused('VIGIE_TOKEN_FORBIDDEN', 'VIGIE_VALIDATION'))?.code).toBe('VIGIE_EVENT_INVALID');
    expect(batchRefusal(refused('VIGIE_TOKEN_FORBIDDEN', 'VIGIE_EVENT_CONFLICT'))?.code).toBe('VIGIE_EVENT_INVALID');
  });

  it('is none when something was stored or a duplicate, or nothing was refused', () => {
    expect(batchRefusal({ ...refused('VIGIE_VALIDATION'), accepted: 1 })).toBeUndefined();
    expect(batchRefusal({ ...refused('VIGIE_EVENT_CONFLICT'), duplicates: 1 })).toBeUndefined();
    expect(batchRefusal(refused())).toBeUndefined();
  });
});
