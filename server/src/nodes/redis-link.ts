import { createClient } from 'redis';
import { LogTally } from '../log-tally.ts';
import type { Logger } from '../logger.ts';
import { addressOf, reasonOf, seconds, STARTUP_CONNECT_MS, StartupError } from '../startup.ts';

/**
 * Waits between attempts to reach Redis again: doubling from 50 ms up to 2 s, with some jitter
 * so that the nodes do not all come back at once, and never giving up (node-redis's own
 * strategy gives up after a socket timeout, leaving the node without Redis for good).
 */
const retryIn = (retries: number) => Math.min(2 ** retries * 50, 2000) + Math.floor(Math.random() * 200);

const newClient = (url: string) => createClient({ url, socket: { reconnectStrategy: retryIn } });
export type RedisClient = ReturnType<typeof newClient>;

/** How long closing a client may wait for its pending commands before it is cut. */
const CLOSE_MS = 2000;

/**
 * This node's connections to Redis (REDIS_URL): the live server's adapter and each notifier
 * make their clients here.
 *
 * At start a client must connect within `waitMs` (VIGIE_STARTUP_WAIT_MS), or the node does not start (a
 * StartupError naming REDIS_URL). Once started, a Redis outage does not stop the node: the
 * clients keep trying to reconnect, the console and the HTTP API go on, each node's alerts
 * reach its own clients only, and what other nodes should have been told is lost meanwhile
 * (once Redis is back, the live server has its clients reconnect and catch up by `sync`, and
 * the notifiers reload what they may have missed). The outage is logged once when it begins
 * (a warning) and once when Redis is back (with how long it lasted and how many messages did
 * not get through), not on every attempt.
 */
export class RedisLink {
  readonly address: string;
  /** The clients connected, whose state tells whether Redis is reachable. */
  private readonly clients = new Set<RedisClient>();
  /** Since when Redis is away (ms), and how many commands failed meanwhile. */
  private outage?: { since: number; failed: number };
  /** Commands that failed while Redis seemed reachable, which is rare: logged at most once a minute. */
  private readonly failedWhileUp: LogTally;
  private readonly backListeners: (() => void)[] = [];

  constructor(readonly url: string, private readonly log: Logger, private readonly now: () => number = () => Date.now(), private readonly waitMs = STARTUP_CONNECT_MS) {
    this.address = addressOf(url, 6379);
    this.failedWhileUp = new LogTally(log, 'warn', 'redis: commands failed', 60_000, now);
  }

  /** `fn` is called each time Redis is reachable again after an outage (every client of the link connected again). */
  onBack(fn: () => void): void {
    this.backListeners.push(fn);
  }

  /** A new client, not connected yet (see `connect`). */
  client(): RedisClient {
    const c = newClient(this.url);
    c.on('error', (e: unknown) => this.down(c, e));
    c.on('ready', () => this.up());
    return c;
  }

  /**
   * Whether Redis answers, before the node opens anything slower (a first PGlite start takes
   * seconds): a wrong REDIS_URL is told at once. Throws a StartupError, or `signal`'s reason.
   */
  async check(signal?: AbortSignal): Promise<void> {
    const c = this.client();
    await this.connect(c, signal);
    await this.close(c);
  }

  /**
   * Connects `c` within `waitMs`, trying again meanwhile (Redis may be starting
   * too); else cuts it and throws a StartupError naming REDIS_URL and the address. A `signal`
   * (the node stopping while it starts) gives up at once.
   */
  async connect(c: RedisClient, signal?: AbortSignal): Promise<void> {
    let last: unknown;
    const remember = (e: unknown) => { last = e; };
    c.on('error', remember);
    const connecting = c.connect();
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    try {
      await Promise.race([
        connecting,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new StartupError(`REDIS_URL: Redis at ${this.address} did not answer within ${seconds(this.waitMs)} (${last === undefined ? 'no answer' : reasonOf(last)})`)), this.waitMs);
          onAbort = () => reject(signal!.reason);
          if (signal?.aborted) onAbort();
          else signal?.addEventListener('abort', onAbort, { once: true });
        }),
      ]);
    } catch (e) {
      connecting.catch(() => {}); // cut below: it fails, and nobody waits for it any more
      c.destroy();
      throw e;
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      c.off('error', remember);
    }
    this.clients.add(c);
  }

  /**
   * `c` (a client of this link) with the commands that the socket.io Redis adapter sends
   * without waiting for their answer (a broadcast's publish, a room's (un)subscription) made
   * safe: when one fails (Redis away: node-redis gives a queued command up after 5 s) it is
   * counted here, instead of a rejection nobody handles, which would end the process.
   */
  guard(c: RedisClient): RedisClient {
    const commands = c as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const name of ['publish', 'subscribe', 'pSubscribe', 'unsubscribe', 'pUnsubscribe', 'sPublish', 'sSubscribe', 'sUnsubscribe']) {
      const send = commands[name];
      if (typeof send !== 'function') continue;
      commands[name] = (...args: unknown[]) => {
        const answer = send.apply(c, args);
        if (answer instanceof Promise) answer.catch((e: unknown) => this.failed(e));
        return answer;
      };
    }
    return c;
  }

  /** A command that did not get through (Redis away, or refusing it). */
  failed(e: unknown): void {
    if (this.outage) {
      this.outage.failed++;
      return;
    }
    this.failedWhileUp.add({ failed: 1 }, { address: this.address, error: reasonOf(e) });
  }

  /** Closes `c`: its pending commands get 2 s to be answered (none will be while Redis is away), then it is cut. */
  async close(c: RedisClient): Promise<void> {
    this.clients.delete(c);
    if (!c.isReady) return c.destroy();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([c.close().catch(() => {}), new Promise((r) => { timer = setTimeout(r, CLOSE_MS); })]);
    clearTimeout(timer);
    // Cut whatever `close` left waiting (`isOpen` is false as soon as it begins, answered or not); a second destroy is harmless.
    try { c.destroy(); } catch { /* already gone */ }
  }

  private down(c: RedisClient, e: unknown): void {
    // Before a client is connected, `connect` tells what went wrong; after, one outage is one warning.
    if (!this.clients.has(c) || this.outage) return;
    this.outage = { since: this.now(), failed: 0 };
    this.log.warn('redis: unreachable; this node goes on alone (its alerts reach its own clients only) and tries again until Redis is back', { address: this.address, error: reasonOf(e) });
  }

  private up(): void {
    if (!this.outage || ![...this.clients].every((c) => c.isReady)) return;
    const { since, failed } = this.outage;
    this.outage = undefined;
    this.log.info('redis: reachable again; alerts are shared with the other nodes again', { address: this.address, downMs: this.now() - since, notSent: failed });
    for (const fn of this.backListeners) fn();
  }
}
