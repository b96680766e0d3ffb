import type { Server as HttpServer } from 'node:http';
import { Server, type Namespace } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Alert, AlertMessage, ClientToServer, FeedHealth, MapSample, ServerToClient } from '@vigie/rules';
import { readCookie, SESSION_COOKIE, type Sessions } from '../auth/sessions.ts';
import { hashToken } from '../auth/tokens.ts';
import type { Logger } from '../logger.ts';
import { findDisplayToken, type Role } from '../storage/accounts-repo.ts';
import { alertsSince } from '../storage/alerts-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import type { AlertPublisher } from './publisher.ts';
import { forWall } from './redact.ts';

type SocketData = { role: Role; username?: string };
export type LiveNamespace = Namespace<ClientToServer, ServerToClient, Record<string, never>, SocketData>;

const SYNC_LIMIT = 2000;
const CONSOLE = 'console';
const WALL = 'wall';

const message = (a: Alert): AlertMessage => ({ seq: a.seq, version: a.version, alert: a });

/**
 * The `/live` namespace: sessions (cookie) or display tokens on the handshake; operators
 * get the full alert, wall screens a redacted one; `sync` answers what a client missed.
 */
export class LiveServer implements AlertPublisher {
  private io?: Server<ClientToServer, ServerToClient, Record<string, never>, SocketData>;
  private nsp?: LiveNamespace;
  private redis: { close(): Promise<unknown> }[] = [];

  constructor(
    private readonly db: SqlClient,
    private readonly sessions: Sessions,
    private readonly log: Logger,
    private readonly redisUrl?: string,
  ) {}

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
    const event = isNew ? 'alert:new' : 'alert:update';
    this.nsp.to(CONSOLE).emit(event, message(alert));
    this.nsp.to(WALL).emit(event, message(forWall(alert)));
  }

  feedHealth(h: FeedHealth[]): void {
    this.nsp?.emit('feed:health', h);
  }

  sample(s: MapSample): void {
    this.nsp?.emit('events:sample', s);
  }

  get clients(): number {
    return this.nsp?.sockets.size ?? 0;
  }

  async close(): Promise<void> {
    if (this.io) {
      this.io.disconnectSockets(true);
      await new Promise<void>((resolve) => this.io!.close(() => resolve()));
    }
    await Promise.all(this.redis.map((c) => c.close().catch(() => {})));
    this.redis = [];
  }
}
