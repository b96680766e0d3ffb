import type { IngestOptions, StoredEvent } from '@vigie/rules';
import { eventsByIds } from '../storage/events-repo.ts';
import type { Listening } from '../storage/pg-listener.ts';
import type { SqlClient } from '../storage/sql-client.ts';

export const ENGINE_EVENTS_CHANNEL = 'vigie_engine_events';
/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more. */
const MAX_PAYLOAD = 7900;

/** One message: stored events in their order, or the keys of one too large to travel (read back from the database). */
type Message = { imported?: true; events?: StoredEvent[]; refs?: [string, string][] };

export type BusHandlers = {
  /** Whether messages are read at all (a node that does not lead passes over them). */
  wanted(): boolean;
  /** Committed events another node received, in its order. */
  events(events: StoredEvent[], how: IngestOptions): void;
  /** A message could not be read (or its events read back): what it held is lost to this listener. */
  unreadable(error: unknown): void;
  /** The listening connection was lost: what was sent meanwhile is gone. */
  lost(error: unknown): void;
  /** Listening again. */
  reconnected(): void;
};

/**
 * Carries the events a node stored to the node that runs the engine (PostgreSQL's
 * NOTIFY/LISTEN: the nodes share the database; notifications arrive in commit order, to
 * every listener). Each notification holds as many events as fit in its payload.
 */
export class EngineBus {
  private listening?: Listening;
  /** Messages are read one after the other (one naming a key reads the database): their order is kept. */
  private reading: Promise<void> = Promise.resolve();

  constructor(private readonly db: SqlClient) {}

  static available(db: SqlClient): boolean {
    return Boolean(db.listen && db.notify);
  }

  async listen(on: BusHandlers): Promise<void> {
    this.listening = await this.db.listen!(ENGINE_EVENTS_CHANNEL, {
      message: (payload) => {
        if (!on.wanted()) return;
        this.reading = this.reading.then(() => this.read(payload)).then((m) => { if (m) on.events(m.events, m.how); }, (e: unknown) => on.unreadable(e));
      },
      lost: (e) => on.lost(e),
      reconnected: () => on.reconnected(),
    });
  }

  /**
   * Sends the batch, split into payloads under PostgreSQL's limit, in order; `via`: a
   * transaction to send it in (the notifications then go out at its commit, or not at all).
   */
  async send(events: readonly StoredEvent[], how: IngestOptions & { replayed?: boolean }, via: SqlClient = this.db): Promise<void> {
    // A replayed dead letter goes to the leader's engine as an upload does (see EngineService.process).
    if (how.replayed) how = { imported: true };
    const head = how.imported ? '{"imported":true,"events":[' : '{"events":[';
    let parts: string[] = [];
    let size = head.length + 2;
    const flush = async () => {
      if (parts.length) await via.notify!(ENGINE_EVENTS_CHANNEL, `${head}${parts.join(',')}]}`);
      parts = [];
      size = head.length + 2;
    };
    for (const e of events) {
      const json = JSON.stringify(e);
      const bytes = Buffer.byteLength(json) + 1;
      if (bytes + head.length + 2 > MAX_PAYLOAD) {
        await flush();
        const ref: Message = { ...(how.imported ? { imported: true as const } : {}), refs: [[e.source, e.id]] };
        await via.notify!(ENGINE_EVENTS_CHANNEL, JSON.stringify(ref));
        continue;
      }
      if (size + bytes > MAX_PAYLOAD) await flush();
      parts.push(json);
      size += bytes;
    }
    await flush();
  }

  private async read(payload: string): Promise<{ events: StoredEvent[]; how: IngestOptions } | undefined> {
    const m = JSON.parse(payload) as Message;
    const how: IngestOptions = m.imported ? { imported: true } : {};
    if (m.events) return { events: m.events, how };
    const events: StoredEvent[] = [];
    for (const [source, id] of m.refs ?? []) events.push(...(await eventsByIds(this.db, source, [id])));
    return events.length ? { events, how } : undefined;
  }

  close(): Promise<void> {
    return this.listening?.close() ?? Promise.resolve();
  }
}
