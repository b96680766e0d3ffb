import type { Server as HttpServer } from 'node:http';
import { Server, type Namespace } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Alert, ClientToServer, FeedHealth, MapSample, ServerToClient } from '@vigie/rules';
import { readCookie, SESSION_COOKIE, type Sessions } from '../auth/sessions.ts';
import { hashToken } from '../auth/tokens.ts';
import type { Logger } from '../logger.ts';
import { findDisplayToken, type Role } from '../storage/accounts-repo.ts';
import { alertsSince } from '../storage/alerts-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { AlertBatcher, message, type AlertBatch } from './alert-batcher.ts';
import type { AlertPublisher } from './publisher.ts';
import { forWall, sampleForWall } from './redact.ts';

type SocketData = { role: Role; username?: string };
export type LiveNamespace = Namespace<ClientToServer, ServerToClient, Record<string, never>, SocketData>;

const SYNC_LIMIT = 2000;
const CONSOLE = 'console';
const WALL = 'wall';
const SUPERVISORS = 'supervisors';

/**
 * The `/live` namespace: sessions (cookie) or display tokens on the handshake; operators
 * get the full alert, wall screens a redacted one; `sync` answers what a client missed.
 */
export class LiveServer implements AlertPublisher {
  private io?: Server<ClientToServer, ServerToClient, Record<string, never>, SocketData>;
  private nsp?: LiveNamespace;
  private redis: { close(): Promise<unknown> }[] = [];
  private readonly batcher: AlertBatcher;

  /** `flushMs`: the fan-out window; 0 sends each alert change at once in its own frame. */
  constructor(
    private readonly db: SqlClient,
    private readonly sessions: Sessions,
    private readonly log: Logger,
    private readonly redisUrl?: string,
    private readonly flushMs = 30,
  ) {
    this.batcher = new AlertBatcher(flushMs, (b) => this.emitBatch(b));
  }

  async attach(http: HttpServer): Promise<void> {
    const io = new Server<ClientToServer, ServerToClient, Record<string, never>, SocketData>(http, { serveClient: false, perMessageDeflate: false, cors: { origin: false } });
    if (this.redisUrl) {
      const pub = createClient({ url: this.redisUrl });
      const sub = pub.duplicate();
      for (const c of [pub, sub]) c.on('error', (e: unknown) => this.log.warn('redis adapter error', { error: String(e) }));
      await Promise.all([pub.connect(), sub.connect()]);
      io.adapter(createAdapter(pub, sub));
      this.redis.push(pub, sub);
    }
    const nsp: LiveNamespace = io.of('/live');
    nsp.use((socket, next) => {
      this.authenticate(socket.handshake.headers.cookie, socket.handshake.auth as Record<string, unknown>)
        .then((who) => {
          if (!who) return next(new Error('VIGIE_AUTH_REQUIRED'));
          socket.data = who;
          next();
        })
        .catch((e: unknown) => next(e instanceof Error ? e : new Error(String(e))));
    });
    nsp.on('connection', (socket) => {
      const wall = socket.data.role === 'wall';
      void socket.join(wall ? WALL : CONSOLE);
      if (socket.data.role === 'supervisor' || socket.data.role === 'admin') void socket.join(SUPERVISORS);
      socket.on('sync', (req, reply) => {
        if (typeof reply !== 'function') return;
        const since = Number((req as { since?: unknown })?.since);
        alertsSince(this.db, Number.isFinite(since) && since >= 0 ? since : 0, SYNC_LIMIT)
          .then((alerts) => {
            const messages = alerts.map((a) => message(wall ? forWall(a) : a));
            reply({ messages, lastSeq: messages.length ? messages[messages.length - 1]!.seq : since });
          })
          .catch((e: unknown) => this.log.error('live: sync failed', { error: String(e) }));
      });
    });
    this.io = io;
    this.nsp = nsp;
  }

  private async authenticate(cookie: string | undefined, auth: Record<string, unknown>): Promise<SocketData | undefined> {
    const sid = readCookie(cookie, SESSION_COOKIE);
    if (sid) {
      const s = await this.sessions.find(sid);
      if (s) return { role: s.user.role, username: s.user.username };
    }
    const token = typeof auth?.wallToken === 'string' ? auth.wallToken : undefined;
    if (token && (await findDisplayToken(this.db, hashToken(token)))) return { role: 'wall' };
    return undefined;
  }

  publish(alert: Alert, isNew: boolean): void {
    if (!this.nsp) return;
    if (this.flushMs > 0) return this.batcher.add(alert, isNew);
    this.emitBatch(isNew ? { created: [message(alert)], updated: [] } : { created: [], updated: [message(alert)] });
  }

  /** One frame per event name and room for the whole window. */
  private emitBatch(b: AlertBatch): void {
    if (!this.nsp) return;
    const wall = (ms: typeof b.created) => ms.map((m) => message(forWall(m.alert)));
    if (b.created.length) {
      this.nsp.to(CONSOLE).emit('alert:new', b.created);
      this.nsp.to(WALL).emit('alert:new', wall(b.created));
    }
    if (b.updated.length) {
      this.nsp.to(CONSOLE).emit('alert:update', b.updated);
      this.nsp.to(WALL).emit('alert:update', wall(b.updated));
    }
  }

  escalated(alerts: Alert[]): void {
    this.nsp?.to(SUPERVISORS).emit('alert:escalated', alerts.map(message));
  }

  feedHealth(h: FeedHealth[]): void {
    this.nsp?.emit('feed:health', h);
  }

  sample(s: MapSample): void {
    this.nsp?.to(CONSOLE).emit('events:sample', s);
    this.nsp?.to(WALL).emit('events:sample', sampleForWall(s));
  }

  get clients(): number {
    return this.nsp?.sockets.size ?? 0;
  }

  async close(): Promise<void> {
    this.batcher.flushNow();
    if (this.io) {
      this.io.disconnectSockets(true);
      await new Promise<void>((resolve) => this.io!.close(() => resolve()));
    }
    await Promise.all(this.redis.map((c) => c.close().catch(() => {})));
    this.redis = [];
  }
}
