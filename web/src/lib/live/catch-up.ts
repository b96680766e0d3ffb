import type { SyncReply } from '@vigie/rules';

/** Most `sync` rounds in a row (2000 messages each by default) before a pause. */
export const MAX_SYNC_ROUNDS = 20;
/** The pause after that many rounds, or after a reply that said `more` without moving on. */
export const SYNC_PAUSE_MS = 5_000;

export type CatchUpLink = {
  /** Asks the server for what follows `since` (rejects when no answer comes in time). */
  ask(since: number): Promise<SyncReply>;
  /** Hands a reply over in turn with the live frames; resolves once it is applied. */
  apply(reply: SyncReply): Promise<void>;
  /** The seq the store holds everything up to, as far as it knows. */
  lastSeq(): number;
  /** No answer came: drop the link (the next connection catches up again). */
  failed(error: unknown): void;
};

export type CatchUp = {
  /** The link is (re)connected: catch up with what was missed, round after round. */
  connected(): Promise<void>;
  /** The link is gone (or the client closed): rounds still running stop. */
  disconnected(): void;
};

/**
 * `sync` on every connection until the server says nothing `more` remains. Each round asks
 * from the previous reply's `lastSeq`, not the store's: a live frame that came during the
 * catch-up moves the store past what is still missing. A round is asked only once the
 * previous reply is applied, one at a time, with a pause every `maxRounds` rounds. A
 * catch-up cut short by a disconnection is resumed by the next connection from where it
 * stopped (live frames received meanwhile left a gap behind them).
 */
export function catchUp(link: CatchUpLink, opts: { maxRounds?: number; pauseMs?: number; wait?: (ms: number) => Promise<void> } = {}): CatchUp {
  const maxRounds = Math.max(1, opts.maxRounds ?? MAX_SYNC_ROUNDS);
  const pauseMs = opts.pauseMs ?? SYNC_PAUSE_MS;
  const wait = opts.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  /** Which connection the running rounds belong to. */
  let generation = 0;
  /** Where an unfinished catch-up stopped (complete up to there, not beyond). */
  let resumeFrom: number | undefined;

  return {
    async connected() {
      const mine = ++generation;
      const current = () => mine === generation;
      let since = Math.min(resumeFrom ?? Infinity, link.lastSeq());
      resumeFrom = since;
      for (let round = 1; ; round++) {
        let reply: SyncReply;
        try {
          reply = await link.ask(since);
        } catch (error) {
          if (current()) link.failed(error);
          return;
        }
        if (!current()) return;
        await link.apply(reply);
        if (!current()) return;
        if (reply.more !== true) {
          resumeFrom = undefined;
          return;
        }
        const moved = reply.lastSeq > since;
        if (moved) since = reply.lastSeq;
        resumeFrom = since;
        if (!moved) console.error('live: sync said more without moving on from', since);
        if (!moved || round % maxRounds === 0) {
          await wait(pauseMs);
          if (!current()) return;
        }
      }
    },
    disconnected() {
      generation++;
    },
  };
}

/** Runs `task` through the client's in-order alert queue; resolves once it ran. */
export function inTurn(deliver: (task: () => void) => void, task: () => void): Promise<void> {
  return new Promise<void>((resolve) => deliver(() => {
    try {
      task();
    } finally {
      resolve();
    }
  }));
}
