import { createConnection } from 'node:net';
import mqtt from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../auth/tokens.ts';
import { feedSender } from '../../auth/feed-sender.ts';
import type { Logger } from '../../logger.ts';
import { upsertFeedToken } from '../../storage/accounts-repo.ts';
import { memoryDatabase, type TestDatabase } from '../../testing/databases.ts';
import { type Broker, startBroker } from './broker.ts';
import { MqttSignInLimits, PER_ACCOUNT, PER_ADDRESS, SPAN_MS } from './sign-in-limits.ts';

const BRIDGE = { username: 'vigie-bridge', password: 'bridge-secret-for-tests' };
const RIGHT = 'the-right-feed-token';

/** What a connection attempt came to: 'ok', or mqtt.js's refusal ("Connection refused: Not authorized", …). */
const attempt = (port: number, opts: mqtt.IClientOptions, from?: string) => new Promise<string>((resolve) => {
  const o = { ...opts, reconnectPeriod: 0, connectTimeout: 5000 };
  // mqtt.js does not bind a local address: from another one, the socket is made here.
  const c = from ? new mqtt.MqttClient(() => createConnection({ host: '127.0.0.1', port, localAddress: from }), o) : mqtt.connect(`mqtt://127.0.0.1:${port}`, o);
  c.once('connect', () => { c.end(true); resolve('ok'); });
  c.once('error', (e) => { c.end(true); resolve(e.message); });
  c.once('close', () => resolve('closed'));
});

describe('the in-process broker\'s limits on failed sign-ins', () => {
  let broker: Broker | undefined;
  let clock = Date.parse('2026-11-29T10:00:00Z');
  /** The tokens the broker read (a held sign-in reads none). */
  let read: string[] = [];
  /** Answers of the token reading, held back while set (tries in flight together). */
  let gate: Promise<void> | undefined;
  let warned: { msg: string; fields?: Record<string, unknown> }[] = [];
  const log: Logger = { debug: () => {}, info: () => {}, error: () => {}, warn: (msg, fields) => void warned.push({ msg, fields }) };

  const start = async () => {
    read = [];
    warned = [];
    broker = await startBroker(0, '127.0.0.1', {
      bridge: BRIDGE,
      sender: async (token) => {
        read.push(token);
        await gate;
        return token === RIGHT ? { name: 'test feed', sources: null } : undefined;
      },
      source: () => undefined,
      limits: new MqttSignInLimits(() => clock),
      log,
    });
    return broker.port;
  };
  afterEach(async () => {
    await broker?.close();
    broker = undefined;
    gate = undefined;
  });

  it(`after ${PER_ACCOUNT} wrong tokens under one user name from one address, refuses even the right one without reading it until the span has passed`, async () => {
    const port = await start();
    // Below the limit, the right token gets in (and clears the user name's failures).
    for (let i = 0; i < PER_ACCOUNT - 1; i++) expect(await attempt(port, { username: 'feed', password: `wrong-${i}` })).toMatch(/Bad username or password/);
    expect(await attempt(port, { username: 'feed', password: RIGHT })).toBe('ok');
    for (let i = 0; i < PER_ACCOUNT; i++) expect(await attempt(port, { username: 'feed', password: `wrong-${i}` })).toMatch(/Bad username or password/);
    const before = read.length;
    clock += 60_000;
    expect(await attempt(port, { username: 'feed', password: RIGHT })).toMatch(/Not authorized/);
    expect(await attempt(port, { username: 'feed', password: 'wrong-again' })).toMatch(/Not authorized/);
    expect(read.length).toBe(before); // held: no token read
    // Told once, with the address and not the user name (it may be a token typed in the wrong field).
    expect(warned).toEqual([{ msg: expect.stringContaining('mqtt: sign-ins refused'), fields: expect.objectContaining({ address: '127.0.0.1', scope: 'account', failures: PER_ACCOUNT }) }]);
    expect(JSON.stringify(warned)).not.toContain('"feed"');
    // Another user name from the address is not held by this one's failures; the node's bridge never is.
    expect(await attempt(port, { username: 'other-feed', password: RIGHT })).toBe('ok');
    expect(await attempt(port, { ...BRIDGE, clientId: 'vigie-test' })).toBe('ok');
    // Once the first of the failures is past the span, the right token gets in again.
    clock += SPAN_MS - 60_000;
    expect(await attempt(port, { username: 'feed', password: RIGHT })).toBe('ok');
    expect(warned).toHaveLength(1);
  });

  it(`after ${PER_ADDRESS} wrong tokens from one address whatever the user names, holds the address but for a user name that signed in from it lately`, async () => {
    const port = await start();
    expect(await attempt(port, { username: 'known-feed', password: RIGHT })).toBe('ok');
    for (let i = 0; i < PER_ADDRESS; i++) expect(await attempt(port, { username: `guess-${i}`, password: `wrong-${i}` })).toMatch(/Bad username or password/);
    const before = read.length;
    expect(await attempt(port, { username: 'new-feed', password: RIGHT })).toMatch(/Not authorized/);
    expect(read.length).toBe(before);
    expect(await attempt(port, { username: 'known-feed', password: RIGHT })).toBe('ok');
    expect(warned.map((w) => w.fields?.scope)).toEqual(['address']);
    // Another address is not held.
    expect(await attempt(port, { username: 'new-feed', password: RIGHT }, '127.0.0.2')).toBe('ok');
    clock += SPAN_MS;
    expect(await attempt(port, { username: 'new-feed', password: RIGHT })).toBe('ok');
  });

  it('counts tries sent together before their tokens are read: no more than the limit are read', async () => {
    const port = await start();
    let open!: () => void;
    gate = new Promise<void>((resolve) => { open = resolve; });
    const tries = Array.from({ length: PER_ACCOUNT + 5 }, (_, i) => attempt(port, { username: 'feed', password: `wrong-${i}` }));
    for (let i = 0; i < 200 && read.length < PER_ACCOUNT; i++) await new Promise((r) => setTimeout(r, 10));
    open();
    const answers = await Promise.all(tries);
    expect(read).toHaveLength(PER_ACCOUNT);
    expect(answers.filter((a) => /Bad username or password/.test(a))).toHaveLength(PER_ACCOUNT);
    expect(answers.filter((a) => /Not authorized/.test(a))).toHaveLength(5);
    expect(await attempt(port, { username: 'feed', password: RIGHT })).toMatch(/Not authorized/);
  });
});

describe('MqttSignInLimits', () => {
  it('does not count a token that could not be read, and forgets past failures', () => {
    let now = 0;
    const limits = new MqttSignInLimits(() => now);
    for (let i = 0; i < PER_ACCOUNT; i++) limits.begin('10.0.0.1', 'feed').unknown();
    expect(limits.wait('10.0.0.1', 'feed')).toBeUndefined();
    for (let i = 0; i < PER_ACCOUNT - 1; i++) expect(limits.begin('10.0.0.1', 'feed').failed()).toEqual([]);
    now = 1000;
    expect(limits.begin('10.0.0.1', 'feed').failed()).toEqual(['account']);
    // Held until the first of the ten is past the span.
    expect(limits.wait('10.0.0.1', 'feed')).toEqual({ ms: SPAN_MS - 1000, scope: 'account' });
    now = SPAN_MS;
    expect(limits.wait('10.0.0.1', 'feed')).toBeUndefined();
  });
});

describe('the in-process broker reading feed tokens as HTTP does (feedSender)', () => {
  let t: TestDatabase;
  let broker: Broker;
  beforeAll(async () => {
    t = await memoryDatabase();
    await upsertFeedToken(t.db, hashToken(RIGHT), 'mqtt feed', ['csu']);
    broker = await startBroker(0, '127.0.0.1', { bridge: BRIDGE, sender: (token) => feedSender(t.db, token), source: () => undefined });
  });
  afterAll(async () => {
    await broker?.close();
    await t?.drop();
  });

  it('lets a feed token in, notes its use, and refuses anything else', async () => {
    expect(await attempt(broker.port, { username: 'x', password: 'not-a-token' })).toMatch(/Bad username or password/);
    expect(await attempt(broker.port, { username: 'x', password: RIGHT })).toBe('ok');
    // The broker's own sign-in noted the use (read before feedSender is called here, which would note it too).
    let used: unknown;
    for (let i = 0; i < 100 && !used; i++) {
      [{ used }] = await t.db.query<{ used: unknown }>('SELECT last_used_at AS used FROM feed_tokens WHERE token_hash = $1', [hashToken(RIGHT)]) as [{ used: unknown }];
      if (!used) await new Promise((r) => setTimeout(r, 10));
    }
    expect(used).toBeTruthy();
    expect(await feedSender(t.db, RIGHT)).toEqual({ name: 'mqtt feed', sources: ['csu'] });
  });
});
