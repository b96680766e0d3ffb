import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AlertMessage, SyncReply } from '@vigie/rules';
import { applyLive, createIndex } from '../alerts/store-logic.ts';
import { WallAlerts } from '../wall/wall-alerts.ts';
import { catchUp, type CatchUpLink } from './catch-up.ts';

const fake = vi.hoisted(() => ({ socket: undefined as unknown }));
vi.mock('socket.io-client', () => ({ io: () => fake.socket }));
const { connectLive } = await import('./live-client.ts');
const { connectWallLive } = await import('../wall/wall-live.ts');

const msg = (seq: number): AlertMessage => ({ seq, version: 1, alert: { id: `a-${seq}`, seq, version: 1, status: 'open', severity: 'high' } as never });
/** Every change the server holds: seqs 1 to 11. */
const ALL = Array.from({ length: 11 }, (_, i) => msg(i + 1));
const LIMIT = 3;

/** The server's `sync`: a page of at most LIMIT messages after `since`, and whether more remain. */
function page(since: number): SyncReply {
  const after = ALL.filter((m) => m.seq > since);
  const messages = after.slice(0, LIMIT);
  return { messages, lastSeq: messages.at(-1)?.seq ?? since, more: after.length > LIMIT };
}

type Handler = (...args: never[]) => void;

/** Just enough of a socket.io client socket: `sync` answered by `answer`, events fired by hand. */
class FakeSocket {
  connected = false;
  active = true;
  asks: number[] = [];
  answer: (since: number) => Promise<SyncReply> = async (since) => page(since);
  readonly on_ = new Map<string, Handler[]>();
  readonly io = { on: () => {}, removeAllListeners: () => {} };
  on(event: string, fn: Handler) {
    this.on_.set(event, [...(this.on_.get(event) ?? []), fn]);
    return this;
  }
  fire(event: string, ...args: unknown[]) {
    for (const fn of this.on_.get(event) ?? []) (fn as (...a: unknown[]) => void)(...args);
  }
  removeAllListeners() {
    this.on_.clear();
    return this;
  }
  timeout() {
    const ask = (req: { since: number }) => {
      this.asks.push(req.since);
      return this.answer(req.since);
    };
    return {
      emitWithAck: (_event: 'sync', req: { since: number }) => ask(req),
      emit: (_event: 'sync', req: { since: number }, cb: (e: Error | null, r?: SyncReply) => void) => {
        ask(req).then((r) => cb(null, r), (e: Error) => cb(e));
      },
    };
  }
  connect() {
    this.connected = true;
    this.fire('connect');
    return this;
  }
  disconnect() {
    this.connected = false;
    this.fire('disconnect', 'io client disconnect');
    return this;
  }
}

let teardown: (() => void) | undefined;
afterEach(() => {
  teardown?.();
  teardown = undefined;
});

/** A reply that waits until `release()`: lets a test push a live frame before it arrives. */
function held() {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  return { gate, release: () => release() };
}

describe('catching up with sync, page after page', () => {
  it('the console asks again from each reply\'s lastSeq until nothing more remains, even when a newer live frame came first', async () => {
    const socket = (fake.socket = new FakeSocket());
    const index = createIndex();
    const replayed: number[] = [];
    teardown = connectLive({
      alerts: (messages, lastSeq) => {
        if (lastSeq !== undefined) replayed.push(...messages.map((m) => m.seq));
        applyLive(index, messages, lastSeq);
      },
      sample: () => {}, health: () => {}, connection: () => {}, refused: () => {},
      lastSeq: () => index.lastSeq, now: () => 0,
    });
    const first = held();
    socket.answer = async (since) => {
      if (since === 0) await first.gate;
      return page(since);
    };
    socket.connect();
    await vi.waitFor(() => expect(socket.asks).toEqual([0]));
    // The newest change is pushed live before the first page arrives: it moves the store's lastSeq to 11.
    socket.fire('alert:new', [ALL.at(-1)]);
    first.release();
    await vi.waitFor(() => expect(socket.asks).toEqual([0, 3, 6, 9]));
    await vi.waitFor(() => expect(replayed).toEqual(ALL.map((m) => m.seq)));
    expect([...index.byId.keys()].sort()).toEqual(ALL.map((m) => m.alert.id).sort());
    expect(index.lastSeq).toBe(11);
  });

  it('the wall does the same, and a reconnection resumes a catch-up cut short where it stopped', async () => {
    const socket = (fake.socket = new FakeSocket());
    const store = new WallAlerts();
    const replayed: number[] = [];
    teardown = connectWallLive('t', {
      alerts: (messages, lastSeq) => {
        if (lastSeq !== undefined) replayed.push(...messages.map((m) => m.seq));
        store.apply(messages, lastSeq);
      },
      connection: () => {}, lastSeq: () => store.lastSeq, now: () => 0,
    });
    const second = held();
    socket.answer = async (since) => {
      if (since === 3) await second.gate;
      return page(since);
    };
    socket.connect();
    await vi.waitFor(() => expect(socket.asks).toEqual([0, 3]));
    // A live frame, then the link drops before the second page: seqs 4 to 10 are still missing.
    socket.fire('alert:update', [ALL.at(-1)]);
    await vi.waitFor(() => expect(store.lastSeq).toBe(11));
    socket.disconnect();
    second.release();
    socket.answer = async (since) => page(since);
    socket.connect();
    await vi.waitFor(() => expect(socket.asks).toEqual([0, 3, 3, 6, 9]));
    await vi.waitFor(() => expect(replayed).toEqual(ALL.map((m) => m.seq)));
    expect([...store.byId.keys()].sort()).toEqual(ALL.map((m) => m.alert.id).sort());
    // Caught up: the next reconnection starts from the store's lastSeq.
    socket.disconnect();
    socket.connect();
    await vi.waitFor(() => expect(socket.asks.at(-1)).toBe(11));
  });
});

describe('catchUp', () => {
  function link(answer: (since: number) => Promise<SyncReply>, lastSeq = () => 0) {
    const asks: number[] = [];
    const applied: SyncReply[] = [];
    const failures: unknown[] = [];
    const l: CatchUpLink = {
      ask: (since) => {
        asks.push(since);
        return answer(since);
      },
      apply: async (r) => void applied.push(r),
      lastSeq,
      failed: (e) => void failures.push(e),
    };
    return { l, asks, applied, failures };
  }

  it('one round for a reply that says nothing more remains, or nothing at all about it (older server)', async () => {
    const t = link(async (since) => ({ messages: [], lastSeq: since }) as never, () => 7);
    await catchUp(t.l).connected();
    expect(t.asks).toEqual([7]);
    expect(t.applied).toHaveLength(1);
  });

  it('pauses every maxRounds rounds, and after a reply that says more without moving on, instead of hammering', async () => {
    const waits: number[] = [];
    const wait = async (ms: number) => void waits.push(ms);
    const t = link(async (since) => page(since));
    await catchUp(t.l, { maxRounds: 2, pauseMs: 1000, wait }).connected();
    expect(t.asks).toEqual([0, 3, 6, 9]);
    expect(waits).toEqual([1000]);

    const stuck = link(async (since) => ({ messages: [], lastSeq: since, more: true }));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    let rounds = 0;
    const c = catchUp(stuck.l, { pauseMs: 1000, wait: async (ms) => { waits.push(ms); if (++rounds === 3) c.disconnected(); } });
    await c.connected();
    expect(stuck.asks).toEqual([0, 0, 0]);
    expect(waits).toEqual([1000, 1000, 1000, 1000]);
    errors.mockRestore();
  });

  it('tells of a failed round only while its link is current', async () => {
    const t = link(async () => { throw new Error('timeout'); });
    const c = catchUp(t.l);
    await c.connected();
    expect(t.failures).toHaveLength(1);
    const late = held();
    const u = link(async () => { await late.gate; throw new Error('socket has been disconnected'); });
    const d = catchUp(u.l);
    const running = d.connected();
    d.disconnected();
    late.release();
    await running;
    expect(u.failures).toEqual([]);
  });
});
