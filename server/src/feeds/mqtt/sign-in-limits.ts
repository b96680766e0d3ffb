import { hashToken } from '../../auth/tokens.ts';

/**
 * Limits on failed sign-ins to the in-process MQTT broker (a feed token given as the password),
 * under the console's rule (auth/sign-in-limits.ts, README's VIGIE_RATE_LIMITED) but counted in
 * this process's memory, not in the database:
 * - the database's count would cost every CONNECT a round trip before its token is even read
 *   (a good feed's included), and every bad one a write: a client reconnecting in a loop would
 *   write as fast as it reconnects;
 * - what is guessed here is a feed token (32 random bytes), not a person's password: the limit
 *   is there so that tries come slowly and get noticed, and each node's broker counting its own
 *   tries (N nodes, N brokers: N times as many) keeps that;
 * - apart from the console's: a feed with a stale token behind a control room's address does
 *   not hold the operators' sign-ins there.
 * Keys are hashes of the address and the user name (never written anywhere, gone with the process).
 */

/** Failed sign-ins per address and user name before waiting: a feed set up with an old token tries a few times. */
export const PER_ACCOUNT = 10;
/**
 * Failed sign-ins per address whatever the user name (any user name is taken: one could name a
 * new one at each try). Higher, as many feeds may come through one gateway; a user name that
 * signed in from the address within KNOWN_HERE_MS is not held by it (a feed with a bad token
 * does not keep the others of its address out), only by its own PER_ACCOUNT.
 */
export const PER_ADDRESS = 30;
/** How long a failure counts: a held address or account may try again once fewer than the limit are this recent. */
export const SPAN_MS = 5 * 60_000;
export const KNOWN_HERE_MS = 24 * 3600_000;
/** Keys kept at most in each table (the oldest go first): a flood from many addresses takes bounded memory. */
const MAX_KEYS = 20_000;

export type Held = { ms: number; scope: 'account' | 'address' };

/** A table of keys ordered by their last write, pruned from the oldest end. */
class Recent<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly lastAt: (v: V) => number, private readonly keepMs: number) {}
  get(key: string, now: number): V | undefined {
    const v = this.map.get(key);
    return v !== undefined && this.lastAt(v) > now - this.keepMs ? v : undefined;
  }
  set(key: string, v: V, now: number): void {
    this.map.delete(key); // re-inserted last: the map stays in the order of the last write
    this.map.set(key, v);
    for (const [k, old] of this.map) {
      if (this.map.size <= MAX_KEYS && this.lastAt(old) > now - this.keepMs) break;
      this.map.delete(k);
    }
  }
  delete(key: string): void {
    this.map.delete(key);
  }
}

export class MqttSignInLimits {
  /** Per key, the times of its latest failures (at most the limit's number: only the oldest of those matters). */
  private readonly failures = new Recent<number[]>((f) => f.at(-1) ?? 0, SPAN_MS);
  /** Per address and user name: when it last signed in. */
  private readonly known = new Recent<number>((at) => at, KNOWN_HERE_MS);
  /** Sign-ins begun and not yet answered, per key: tries in parallel count before their tokens are read. */
  private readonly pending = new Map<string, number>();

  constructor(readonly now: () => number = Date.now) {}

  /** Hashed: a key's size does not depend on what the client sent (a user name may take 64 KiB). */
  private keys(address: string, username: string) {
    return { account: hashToken(`account|${address}|${username}`), address: hashToken(`address|${address}`) };
  }

  /** How long one failure more would be held on `key` (0: not held). */
  private heldFor(key: string, limit: number, now: number): number {
    const live = (this.failures.get(key, now) ?? []).filter((at) => at > now - SPAN_MS);
    const tries = live.length + (this.pending.get(key) ?? 0);
    if (tries < limit) return 0;
    // Held until the limit's latest failure is past the span (one still pending: a span from now).
    const nth = live.length - limit;
    return Math.max(1, (nth >= 0 ? live[nth]! : now) + SPAN_MS - now);
  }

  /** Whether this address and user name must wait (and how long), or may try now. */
  wait(address: string, username: string): Held | undefined {
    const now = this.now(), k = this.keys(address, username);
    const byAccount = this.heldFor(k.account, PER_ACCOUNT, now);
    const byAddress = this.known.get(k.account, now) !== undefined ? 0 : this.heldFor(k.address, PER_ADDRESS, now);
    if (!byAccount && !byAddress) return undefined;
    return byAddress > byAccount ? { ms: byAddress, scope: 'address' } : { ms: byAccount, scope: 'account' };
  }

  /**
   * A sign-in whose token is being read: counted at once against its keys (so that tries sent
   * together are not all let through), then answered with `failed`, `succeeded` or `unknown`
   * (the token could not be read: not the client's fault, not counted).
   */
  begin(address: string, username: string) {
    const k = this.keys(address, username), keys = [k.account, k.address];
    for (const key of keys) this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
    let open = true;
    const end = () => {
      if (!open) return false;
      open = false;
      for (const key of keys) {
        const n = (this.pending.get(key) ?? 1) - 1;
        if (n > 0) this.pending.set(key, n);
        else this.pending.delete(key);
      }
      return true;
    };
    return {
      /** A wrong token; the scopes this failure has just held (to be told once: the tries they refuse are not counted). */
      failed: (): Held['scope'][] => {
        if (!end()) return [];
        const now = this.now(), held: Held['scope'][] = [];
        for (const [key, limit, scope] of [[k.account, PER_ACCOUNT, 'account'], [k.address, PER_ADDRESS, 'address']] as const) {
          const before = (this.failures.get(key, now) ?? []).filter((at) => at > now - SPAN_MS);
          const live = [...before, now].slice(-limit);
          this.failures.set(key, live, now);
          if (before.length < limit && live.length === limit) held.push(scope);
        }
        return held;
      },
      /** The address's failures stay: one account known does not open the others to guessing. */
      succeeded: () => {
        if (!end()) return;
        const now = this.now();
        this.failures.delete(k.account);
        this.known.set(k.account, now, now);
      },
      unknown: () => void end(),
    };
  }
}
