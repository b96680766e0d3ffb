import { type FeedIngest, MAX_UNATTENDED_BYTES } from '../../ingest/feed-ingest.ts';
import type { Logger } from '../../logger.ts';
import { addFeedMessages } from '../../storage/feed-minutes-repo.ts';
import type { SqlClient } from '../../storage/sql-client.ts';
import { type FeedConfig, recordPoll } from '../feed-configs-repo.ts';
import { guardedGet } from './guarded-get.ts';
import { type AllowedHosts, allowedHosts } from './outbound-url.ts';

type PollConfig = Extract<FeedConfig, { kind: 'gtfs-rt-poll' }>;
export type PollOutcome = { status: number; accepted?: number; duplicates?: number; rejected?: number; error?: string };
export type PollOptions = {
  /** Hosts fetched although loopback or link-local (VIGIE_FEED_ALLOW_HOSTS); none by default. */
  allow?: AllowedHosts;
  timeoutMs?: number;
};

/**
 * Polls one GTFS-RT URL with a conditional request (ETag, Last-Modified) and ingests what changed.
 * The URL and every redirect are checked before anything is sent (outbound-url.ts); an answer
 * over MAX_UNATTENDED_BYTES is never held: the poll fails, naming the limit.
 */
export async function pollOnce(db: SqlClient, feeds: FeedIngest, c: PollConfig, now: Date, o: PollOptions = {}): Promise<PollOutcome> {
  const headers: Record<string, string> = { accept: 'application/x-protobuf, application/octet-stream' };
  if (c.etag) headers['if-none-match'] = c.etag;
  if (c.lastModified) headers['if-modified-since'] = c.lastModified;
  try {
    const res = await guardedGet(c.url, { headers, allow: o.allow ?? new Set(), maxBytes: MAX_UNATTENDED_BYTES, timeoutMs: o.timeoutMs ?? 15_000 });
    if (res.status === 304) {
      await recordPoll(db, c.id, c.url, now, {});
      addFeedMessages(db, [{ source: c.source, receivedAt: now.toISOString() }]); // unchanged, but the feed answers: not late, not silent

      return { status: 304 };
    }
    if (res.status < 200 || res.status >= 300) {
      const error = `HTTP ${res.status} from ${res.url.host}`;
      await recordPoll(db, c.id, c.url, now, { error });
      return { status: res.status, error };
    }
    const answer = await feeds.receive({ format: 'gtfs-rt', source: c.source, body: res.body, sender: { name: `poll:${c.id}`, sources: [c.source] }, unattended: true });
    const ok = answer.status < 300;
    // The validators are kept once the snapshot is dealt with: stored, or kept as a dead letter to replay.
    const dealt = ok || answer.deadLetter !== undefined;
    await recordPoll(db, c.id, c.url, now, {
      ...(dealt ? { etag: res.headers.etag ?? null, lastModified: res.headers['last-modified'] ?? null } : {}),
      error: ok ? null : (answer.body as { error?: { message: string } }).error?.message ?? `answer ${answer.status}`,
    });
    const b = answer.body as { accepted?: number; duplicates?: number; rejected?: unknown[] };
    return { status: answer.status, accepted: b.accepted, duplicates: b.duplicates, rejected: b.rejected?.length };
  } catch (e) {
    const error = `poll failed: ${(e as Error).message}`;
    await recordPoll(db, c.id, c.url, now, { error });
    return { status: 0, error };
  }
}

/** Runs each enabled GTFS-RT poll configuration on its own interval; `reload` after a change. */
export class FeedPoller {
  private timers = new Map<string, { timer: NodeJS.Timeout; signature: string }>();
  private running = new Set<string>();

  private readonly allow: AllowedHosts;

  constructor(private readonly db: SqlClient, private readonly feeds: FeedIngest, private readonly log: Logger, private readonly now: () => Date, allowHosts: readonly string[] = []) {
    this.allow = allowedHosts(allowHosts);
  }

  /**
   * Polls the enabled configurations: a new one or one changed (its URL, interval or source)
   * is polled at once and then on its interval; one unchanged keeps its rhythm (saving another
   * feed, or a change heard from another node, does not poll them all again); one gone or
   * turned off stops.
   */
  reload(configs: FeedConfig[]): void {
    const wanted = new Map<string, PollConfig>();
    for (const c of configs) if (c.kind === 'gtfs-rt-poll' && c.enabled) wanted.set(c.id, c);
    for (const [id, t] of this.timers) {
      const c = wanted.get(id);
      if (c && t.signature === signature(c)) { wanted.delete(id); continue; } // unchanged: kept as it runs
      clearInterval(t.timer);
      this.timers.delete(id);
    }
    for (const c of wanted.values()) this.start(c);
  }

  private start(c: PollConfig): void {
    // By configuration as it is now: a poll of its previous version still running does not hold back the first of this one.
    const running = `${c.id}\u0000${signature(c)}`;
    const tick = async () => {
      if (this.running.has(running)) return; // a slow server: skip rather than pile up
      this.running.add(running);
      try {
        // Re-read for the validators the previous poll stored.
        const [fresh] = (await this.db.query<{ etag: string | null; last_modified: string | null }>('SELECT etag, last_modified FROM feed_configs WHERE id = $1', [c.id]));
        const out = await pollOnce(this.db, this.feeds, { ...c, etag: fresh?.etag ?? null, lastModified: fresh?.last_modified ?? null }, this.now(), { allow: this.allow });
        // A refused answer is logged by the ingest, with the dead letter it kept; an answer over the limit never reaches it.
        if (out.error) this.log.warn('feed poll failed', { feed: c.id, error: out.error });
      } finally {
        this.running.delete(running);
      }
    };
    const timer = setInterval(() => void tick().catch((e: unknown) => this.log.warn('feed poll failed', { feed: c.id, error: String(e) })), c.intervalSeconds * 1000);
    timer.unref();
    this.timers.set(c.id, { timer, signature: signature(c) });
    void tick().catch(() => {});
  }

  stop(): void {
    for (const t of this.timers.values()) clearInterval(t.timer);
    this.timers.clear();
  }
}

/** What makes a poll: a configuration whose signature changed is polled anew. */
const signature = (c: PollConfig) => JSON.stringify([c.url, c.intervalSeconds, c.source]);
