import type { AlertMessage, ClientToServer, FeedHealth, MapSample, ServerToClient } from '@vigie/rules';
import { io, type Socket } from 'socket.io-client';
import { catchUp, inTurn } from './catch-up.ts';
import type { ConnectionEvent } from './connection-state.ts';
import { canUnpack, inOrder, unpackAlerts } from './packed-alerts.ts';

export type LiveSocket = Socket<ServerToClient, ClientToServer>;

/** What the console does with the live stream. */
export type LiveHandlers = {
  /**
   * Alert messages, pushed in batches (`fresh`: created since the last batch) or replayed
   * by `sync` (with the reply's `lastSeq`), a reply at a time until none says `more`.
   */
  alerts(messages: AlertMessage[], lastSeq?: number, fresh?: boolean): void;
  /** Alerts that escalated (sent to supervisors only). */
  escalated?(messages: AlertMessage[]): void;
  sample(sample: MapSample): void;
  health(feeds: FeedHealth[]): void;
  /** The zones may have changed (told so, or reconnected after missing it): read them again. */
  zones?(): void;
  connection(event: ConnectionEvent): void;
  /** The server refused the connection (most likely the session is over). */
  refused(error: Error): void;
  /** The seq to resume from. */
  lastSeq(): number;
  now(): number;
};

/** How long to wait for a `sync` reply before reconnecting to try again. */
const SYNC_TIMEOUT_MS = 15_000;
/** After the server refused the connection, when to try again (if the console is still there). */
const REFUSED_RETRY_MS = 5_000;

/**
 * Connect to `/live` with the session cookie, replay what was missed on every
 * (re)connection (every page of it: see {@link catchUp}), and report the link's state.
 * Returns the teardown.
 */
export function connectLive(handlers: LiveHandlers, url = '/live'): () => void {
  // Compressed alert batches where the browser can inflate them (a sixth of the bytes).
  const socket: LiveSocket = io(url, { withCredentials: true, transports: ['websocket'], auth: canUnpack() ? { encoding: 'deflate-raw' } : {} });
  // Every alert delivery goes through one queue: a packed frame being inflated is not overtaken.
  // A frame that cannot be read is not skipped: reconnecting replays everything since lastSeq.
  const deliver = inOrder((e) => {
    console.error('live: an alert frame could not be read; syncing again', e);
    socket.disconnect().connect();
  });
  let closed = false;
  const give = (messages: AlertMessage[], lastSeq?: number, fresh?: boolean) => {
    if (!closed && (messages.length || lastSeq !== undefined)) handlers.alerts(messages, lastSeq, fresh);
  };
  const report = (type: ConnectionEvent['type']) => handlers.connection({ type, at: handlers.now() });
  const sync = catchUp({
    ask: (since) => (socket.connected ? socket.timeout(SYNC_TIMEOUT_MS).emitWithAck('sync', { since }) : Promise.reject(new Error('not connected'))),
    // In turn with the live frames: a reply that comes after a newer frame does not move lastSeq back.
    apply: (reply) => inTurn(deliver, () => give(reply.messages, reply.lastSeq)),
    lastSeq: () => handlers.lastSeq(),
    // No answer: drop the link and let the reconnection sync again.
    failed: () => socket.disconnect().connect(),
  });
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  let connectedBefore = false;
  socket.on('connect', () => {
    report('connect');
    // A zones change told while the link was down is not told again: read them anew.
    if (connectedBefore) handlers.zones?.();
    connectedBefore = true;
    void sync.connected();
  });
  socket.on('disconnect', (reason) => {
    sync.disconnected();
    report('disconnect');
    // The server closed the link on purpose: socket.io will not retry by itself.
    if (reason === 'io server disconnect') socket.connect();
  });
  socket.on('connect_error', (error) => {
    if (socket.active) report('retry');
    else {
      report('offline');
      handlers.refused(error);
      clearTimeout(retryTimer);
      retryTimer = setTimeout(() => socket.connect(), REFUSED_RETRY_MS);
    }
  });
  socket.io.on('reconnect_failed', () => report('offline'));
  socket.on('alert:new', (messages) => deliver(() => give(messages, undefined, true)));
  socket.on('alert:update', (messages) => deliver(() => give(messages)));
  socket.on('alert:packed', (_header, body) => deliver(async () => {
    const { created, updated } = await unpackAlerts(body);
    give(created, undefined, true);
    give(updated);
  }));
  socket.on('alert:escalated', (messages) => handlers.escalated?.(messages));
  socket.on('events:sample', (sample) => handlers.sample(sample));
  socket.on('feed:health', (feeds) => handlers.health(feeds));
  socket.on('zones:changed', () => handlers.zones?.());

  const offline = () => report('offline');
  const online = () => {
    // The link may have survived a short network loss: then it is simply connected again.
    if (socket.connected) return report('connect');
    report('online');
    socket.connect();
  };
  globalThis.addEventListener?.('offline', offline);
  globalThis.addEventListener?.('online', online);

  return () => {
    closed = true;
    sync.disconnected();
    clearTimeout(retryTimer);
    globalThis.removeEventListener?.('offline', offline);
    globalThis.removeEventListener?.('online', online);
    socket.removeAllListeners();
    socket.io.removeAllListeners();
    socket.disconnect();
  };
}
