import type { SqlClient } from '../storage/sql-client.ts';
import { recordSignIn, recordSignInFailure, signInState, type SignInScope } from '../storage/sign-in-limits-repo.ts';
import { hashToken } from './tokens.ts';

/** Failed sign-ins per address and account before waiting: a mistyped password or two is nothing. */
export const PER_ACCOUNT = 10;
/**
 * Failed sign-ins per address across accounts (one password tried on many accounts): higher,
 * as a control room's operators may share one address. An account that signed in from the
 * address within KNOWN_HERE_MS is not held by it: one person mistyping (or a spray from the
 * same network) does not keep the room's operators out.
 */
export const PER_ADDRESS = 30;
export const SPAN_MS = 5 * 60_000;
const KNOWN_HERE_MS = 24 * 3600_000;

/**
 * Limits on failed sign-ins, counted in the database so that every node sharing it counts
 * the same tries. Keys are hashed: no typed username nor address is stored in clear.
 */
export class SignInLimits {
  constructor(private readonly db: SqlClient) {}

  private keys(address: string, username: string) {
    return { account: hashToken(`sign-in|${address}|${username}`), address: hashToken(`sign-in|${address}`) };
  }

  /** How long this account must wait from this address (0: it may try now), and which limit holds it. */
  async wait(address: string, username: string, at: Date): Promise<{ ms: number; scope: SignInScope }> {
    const now = at.getTime();
    const s = await signInState(this.db, { ...this.keys(address, username), since: new Date(now - SPAN_MS), accountNth: PER_ACCOUNT, addressNth: PER_ADDRESS, knownSince: new Date(now - KNOWN_HERE_MS) });
    const until = (nth: string | undefined) => (nth ? Math.max(0, Date.parse(nth) + SPAN_MS - now) : 0);
    const byAccount = until(s.account), byAddress = s.known ? 0 : until(s.address);
    return byAddress > byAccount ? { ms: byAddress, scope: 'address' } : { ms: byAccount, scope: 'account' };
  }

  async failed(address: string, username: string, at: Date): Promise<void> {
    const k = this.keys(address, username);
    await recordSignInFailure(this.db, k.account, k.address, at, new Date(at.getTime() - SPAN_MS));
  }

  /** The address's count stays: one account known does not open the others to guessing. */
  async succeeded(address: string, username: string, at: Date): Promise<void> {
    await recordSignIn(this.db, this.keys(address, username).account, at, new Date(at.getTime() - KNOWN_HERE_MS));
  }
}
