import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { AlertBatchBody } from '@vigie/rules';
import { canUnpack, inOrder, unpackAlerts } from './packed-alerts.ts';

const body: AlertBatchBody = {
  created: [{ seq: 7, version: 1, alert: { id: 'a-7', title: 'Rixe — Noailles « é »' } as never }],
  updated: [{ seq: 9, version: 3, alert: { id: 'a-2', title: 'x' } as never }],
};

describe('packed alert frames', () => {
  it('inflates what the server deflated, UTF-8 included', async () => {
    expect(canUnpack()).toBe(true);
    const packed = deflateRawSync(JSON.stringify(body)).toString('base64');
    expect(await unpackAlerts(packed)).toEqual(body);
  });

  it('rejects a body that is not raw deflate', async () => {
    await expect(unpackAlerts(btoa('not deflate at all'))).rejects.toThrow();
    await expect(unpackAlerts('§ not base64')).rejects.toThrow();
  });

  it('keeps the order of tasks even when an earlier one waits, and goes on after a failure', async () => {
    const errors: unknown[] = [];
    const run = inOrder((e) => errors.push(e));
    const seen: number[] = [];
    run(async () => { await new Promise((r) => setTimeout(r, 30)); seen.push(1); });
    run(() => { throw new Error('bad frame'); });
    run(() => { seen.push(3); });
    await new Promise((r) => setTimeout(r, 80));
    expect(seen).toEqual([1, 3]);
    expect(errors).toHaveLength(1);
  });
});
