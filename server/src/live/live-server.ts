import { tokenUsed } from '../auth/token-use.ts';
import type { Server as HttpServer } from 'node:http';
import { Server, type Namespace } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { LIVE_HEALTH_ONLY, type Alert, type ClientToServer, type FeedHealth, type LiveEncoding, type MapSample, type ServerToClient } from '@vigie/rules';
import { readCookie, SESSION_COOKIE, type Sessions } from '../auth/sessions.ts';
import { hashToken } from '../auth/tokens.ts';
import type { Logger } from '../logger.ts';
import type { RedisClient, RedisLink } from '../nodes/redis-link.ts';
import { findDisplayToken, type Role } from '../storage/accounts-repo.ts';
import { alertsSince } from '../storage/alerts-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { AlertBatcher, message, type AlertBatch } from './alert-batcher.ts';
import { packBatch } from './packed-batch.ts';
import type { AlertPublisher } from './publisher.ts';
import { forWall, sampleForWall } from './redact.ts';

/** Who is on a socket; a console's session (the hash of its id, and when it ends) closes the socket when it ends. */
type SocketData = { role: Role; username?: string; encoding: LiveEncoding; session?: { idHash: string; expiresAt: string }; displayTokenHash?: string; healthOnly?: boolean };
/** The room of one session's sockets (on every node, through the adapter). */
const sessionRoom = (idHash: string) => `session:${idHash}`;
const displayRoom = (tokenHash: string) => `display:${tokenHash}`;
export type LiveNamespace = Namespace<ClientToServer, ServerToClient, Record<string, never>, SocketData>;

/** Most alert messages one `sync` reply carries; a reply that stops there says `more`. */
const SYNC_LIMIT = 2000;
const CONSOLE = 'console';
const WALL = 'wall';
/** Clients that asked for `deflate-raw` alert batches. */
const PACKED = ':packed';
const SUPERVISORS = 'supervisors';

/**
 * The `/live` namespace: sessions (cookie) or display tokens on the handshake; operators
 * get the full alert, wall screens a redacted one; `sync` answers what a client missed.
 */
export class LiveServer implements AlertPublisher {
  private io?: Server<ClientToServer, ServerToClient, Record<string, never>, SocketData>;
  private nsp?: LiveNamespace;
  private redisClients: RedisClient[] = [];
  private readonly batcher: AlertBatcher;

  /** `flushMs`: the fan-out window; 0 sends each alert change at once in its own frame. */
  constructor(
    private readonly db: SqlClient,
    private readonly sessions: Sessions,
    private readonly log: Logger,
    /** This node's link to Redis (REDIS_URL set): the socket.io adapter shares broadcasts with the other nodes through it. */
    private readonly redis?: RedisLink,
    private readonly flushMs = 30,
    /** The clock sessions are judged by (a socket closes when its session ends). */
    private readonly now: () => Date = () => new Date(),
  ) {
    this.batcher = new AlertBatcher(flushMs, (b) => this.emitBatch(b));
    // Back from a Redis outage: what other nodes sent meanwhile never came. This node's clients
    // are disconnected, so that they connect again and ask `sync` for what they missed (the
    // console and the wall reconnect by themselves when the server closes the link).
    redis?.onBack(() => this.nsp?.local.disconnectSockets(true));
    // Signed out on any node: that session's sockets close on every node.
    sessions.onEnded((idHash) => this.nsp?.in(sessionRoom(idHash)).disconnectSockets(true));
  }

  /** A display token revoked: the walls showing with it go dark now (on every node, with Redis). */
  endDisplay(tokenHash: string): void {
    this.nsp?.in(displayRoom(tokenHash)).disconnectSockets(true);
  }

  /** The map as it is now (every vehicle), sent to a client as it connects. */
  mapNow?: () => MapSample;

  /** Most alert messages one `sync` reply carries (default 2000); beyond, it says `more` and the client asks again. */
  syncLimit = SYNC_LIMIT;

  /** `signal`: give up connecting to Redis (the node stopping while it starts). */
  async attach(http: HttpServer, signal?: AbortSignal): Promise<void> {
    if (this.redis) {
      // The adapter publishes without waiting for the answer: `guard` keeps a publish that
      // fails (Redis away) from ending the process; the link logs the outage once.
      const pub = this.redis.guard(this.redis.client());
      const sub = this.redis.guard(this.redis.client());
      this.redisClients.push(pub, sub);
      await this.redis.connect(pub, signal);
      await this.redis.connect(sub, signal);
    }
    const io = new Server<ClientToServer, ServerToClient, Record<string, never>, SocketData>(http, { serveClient: false, perMessageDeflate: false, cors: { origin: false } });
    if (this.redis) io.adapter(createAdapter(this.redisClients[0], this.redisClients[1]));
    const nsp: LiveNamespace = io.of('/live');
    nsp.use((socket, next) => {
      // A browser page of another site would open the socket with the session's cookie (cross-site
      // WebSocket hijacking): a session is taken only from the console's own pages. A display
      // token, given by the page itself, is no ambient credential.
      const { origin, host } = socket.handshake.headers;
      const cookie = origin === undefined || sameHost(origin, host) ? socket.handshake.headers.cookie : undefined;
      this.authenticate(cookie, socket.handshake.auth as Record<string, unknown>)
        .then((who) => {
          if (!who) return next(new Error('VIGIE_AUTH_REQUIRED'));
          socket.data = who;
          next();
        })
        .catch((e: unknown) => next(e instanceof Error ? e : new Error(String(e))));
    });
    nsp.on('connection', (socket) => {
      const wall = socket.data.role === 'wall';
      // A page that follows feed health only (the admin's feeds page) joins no alert room and gets no map: `feed:health` reaches every socket.
      const healthOnly = socket.data.healthOnly === true;
      if (!healthOnly) void socket.join((wall ? WALL : CONSOLE) + (socket.data.encoding === 'deflate-raw' ? PACKED : ''));
      if (!healthOnly && (socket.data.role === 'supervisor' || socket.data.role === 'admin')) void socket.join(SUPERVISORS);
      const session = socket.data.session;
      if (session) {
        // A signed-out or expired session gets nothing more: the socket closes (the console then goes to sign-in).
        void socket.join(sessionRoom(session.idHash));
        const ends = setTimeout(() => socket.disconnect(true), Math.min(2 ** 31 - 1, Math.max(0, Date.parse(session.expiresAt) - this.now().getTime())));
        socket.once('disconnect', () => clearTimeout(ends));
      }
      if (socket.data.displayTokenHash) void socket.join(displayRoom(socket.data.displayTokenHash));
      // Samples carry the vehicles that moved: a newcomer gets all of this node's at once.
      const current = healthOnly ? undefined : this.mapNow?.();
      if (current?.vehicles.length) socket.emit('events:sample', wall ? sampleForWall(current) : current);
      socket.on('sync', (req, reply) => {
        if (typeof reply !== 'function') return;
        // A seq is a whole number within what the database counts: a fraction is read down (a
        // message seen twice is nothing, one missed is), anything else from the start.
        const asked = Math.floor(Number((req as { since?: unknown })?.since));
        const since = Number.isSafeInteger(asked) && asked >= 0 ? asked : 0;
        const limit = Math.max(1, this.syncLimit);
        // One more than a reply holds: whether it is there says if the client must ask again.
        alertsSince(this.db, since, limit + 1)
          .then((alerts) => {
            const more = alerts.length > limit;
            const messages = alerts.slice(0, limit).map((a) => message(wall ? forWall(a) : a));
            reply({ messages, lastSeq: messages.length ? messages[messages.length - 1]!.seq : since, more });
          })
          .catch((e: unknown) => this.log.error('live: sync failed', { error: String(e) }));
      });
    });
    this.io = io;
    this.nsp = nsp;
  }

  private async authenticate(cookie: string | undefined, auth: Record<string, unknown>): Promise<SocketData | undefined> {
    const encoding: LiveEncoding = auth?.encoding === 'deflate-raw' ? 'deflate-raw' : 'json';
    const sid = readCookie(cookie, SESSION_COOKIE);
    if (sid) {
      const s = await this.sessions.find(sid);
      const healthOnly = auth?.only === LIVE_HEALTH_ONLY ? { healthOnly: true } : {};
      if (s) return { role: s.user.role, username: s.user.username, encoding, session: { idHash: hashToken(sid), expiresAt: s.expiresAt }, ...healthOnly };
    }
    const token = typeof auth?.wallToken === 'string' ? auth.wallToken : undefined;
    const tokenHash = token ? hashToken(token) : undefined;
    if (tokenHash && (await findDisplayToken(this.db, tokenHash))) {
      tokenUsed(this.db, 'display_tokens', tokenHash);
      return { role: 'wall', encoding, displayTokenHash: tokenHash };
    }
    return undefined;
  }

  publish(alert: Alert, isNew: boolean): void {
    if (!this.nsp) return;
    if (this.flushMs > 0) return this.batcher.add(alert, isNew);
    this.emitBatch(isNew ? { created: [message(alert)], updated: [] } : { created: [], updated: [message(alert)] });
  }

  /** One frame per event name and room for the whole window (one in all for packed rooms). */
  private emitBatch(b: AlertBatch): void {
    if (!this.nsp) return;
    const redact = (ms: typeof b.created) => ms.map((m) => message(forWall(m.alert)));
    this.emitTo(CONSOLE, b);
    this.emitTo(WALL, { created: redact(b.created), updated: redact(b.updated) });
  }

  private emitTo(room: string, b: AlertBatch): void {
    const nsp = this.nsp!;
    if (b.created.length) nsp.to(room).emit('alert:new', b.created);
    if (b.updated.length) nsp.to(room).emit('alert:update', b.updated);
    // Compressed only when somebody asked for it (here, or maybe on another node).
    if (this.redis || (nsp.adapter.rooms.get(room + PACKED)?.size ?? 0) > 0) {
      const { header, body } = packBatch(b);
      nsp.to(room + PACKED).emit('alert:packed', header, body);
    }
  }

  escalated(alerts: Alert[]): void {
    this.nsp?.to(SUPERVISORS).emit('alert:escalated', alerts.map(message));
  }

  feedHealth(h: FeedHealth[]): void {
    this.nsp?.emit('feed:health', h);
  }

  /** Tells the wall screens (on every node) that the screen `name`'s configuration changed. */
  wallConfigChanged(name: string): void {
    this.nsp?.to([WALL, WALL + PACKED]).emit('wall:config', { name });
  }

  /** Tells this node's clients that the zones changed (each node tells its own: see ChangeSync). */
  zonesChanged(at: Date): void {
    this.nsp?.local.emit('zones:changed', { at: at.toISOString() });
  }

  sample(s: MapSample): void {
    this.nsp?.to([CONSOLE, CONSOLE + PACKED]).emit('events:sample', s);
    this.nsp?.to([WALL, WALL + PACKED]).emit('events:sample', sampleForWall(s));
  }

  get clients(): number {
    return this.nsp?.sockets.size ?? 0;
  }

  /** Clients on this node that receive alert batches packed (`deflate-raw`). */
  get packedClients(): number {
    const rooms = this.nsp?.adapter.rooms;
    return (rooms?.get(CONSOLE + PACKED)?.size ?? 0) + (rooms?.get(WALL + PACKED)?.size ?? 0);
  }

  async close(): Promise<void> {
    this.batcher.flushNow();
    if (this.io) {
      this.io.disconnectSockets(true);
      await new Promise<void>((resolve) => this.io!.close(() => resolve()));
    }
    await Promise.all(this.redisClients.map((c) => this.redis!.close(c)));
    this.redisClients = [];
  }
}

/**
 * Whether a page at `origin` is of the site at `host` (the request's Host, which a proxy passes
 * on, with or without its port: nginx's `$host` has none). By host name: a cookie is the same
 * whatever the port, so the port draws no line worth drawing.
 */
export function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).hostname.toLowerCase() === new URL(`http://${host}`).hostname.toLowerCase();
  } catch {
    return false;
  }
}
