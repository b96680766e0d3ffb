import type { AlertMessage, ClientToServer, ServerToClient } from '@vigie/rules';
import { io, type Socket } from 'socket.io-client';
import type { ConnectionEvent } from '../live/connection-state.ts';
import { catchUp, inTurn } from '../live/catch-up.ts';
import { canUnpack, inOrder, unpackAlerts } from '../live/packed-alerts.ts';

export type WallLiveHandlers = {
  alerts(messages: AlertMessage[], lastSeq?: number): void;
  connection(event: ConnectionEvent): void;
  lastSeq(): number;
  now(): number;
  /** The zones changed (a warning came or went): read the state again. */
  zones?(): void;
  /** A screen's configuration changed (its name; a screen does not know its own): read the bootstrap again. */
  screen?(name: string): void;
};

const SYNC_TIMEOUT_MS = 15_000;
/** A wall never gives up: after a refusal or a failed round it tries again this often. */
const RETRY_MS = 5_000;

/** Messages arrive one at a time or in batches, depending on the server's flush window. */
const asList = (m: AlertMessage | AlertMessage[]): AlertMessage[] => (Array.isArray(m) ? m : [m]);

/**
 * The wall's link to `/live` with its display token: it reconnects for ever (server
 * restarts, network cuts), and on every connection replays what it missed with `sync`
 * (every page of it: see {@link catchUp}).
 * Returns the teardown.
 */
export function connectWallLive(token: string, handlers: WallLiveHandlers, url = '/live'): () => void {
  const socket: Socket<ServerToClient, ClientToServer> = io(url, {
    transports: ['websocket'], withCredentials: false, auth: { wallToken: token, ...(canUnpack() ? { encoding: 'deflate-raw' } : {}) },
    reconnectionDelay: 1000, reconnectionDelayMax: RETRY_MS,
  });
  const report = (type: ConnectionEvent['type']) => handlers.connection({ type, at: handlers.now() });
  // One queue for every alert delivery: a packed frame being inflated is not overtaken.
  // A frame that cannot be read is not skipped: reconnecting replays everything since lastSeq.
  const deliver = inOrder((e) => {
    console.error('wall: an alert frame could not be read; syncing again', e);
    socket.disconnect().connect();
  });
  let closed = false;
  const give = (messages: AlertMessage[], lastSeq?: number) => { if (!closed) handlers.alerts(messages, lastSeq); };
  const sync = catchUp({
    ask: (since) => (socket.connected ? socket.timeout(SYNC_TIMEOUT_MS).emitWithAck('sync', { since }) : Promise.reject(new Error('not connected'))),
    apply: (reply) => inTurn(deliver, () => give(reply.messages, reply.lastSeq)),
    lastSeq: () => handlers.lastSeq(),
    failed: () => socket.disconnect().connect(),
  });
  let retry: ReturnType<typeof setTimeout> | undefined;
  const again = () => {
    clearTimeout(retry);
    retry = setTimeout(() => { if (!socket.connected) socket.connect(); }, RETRY_MS);
  };

  socket.on('connect', () => {
    report('connect');
    void sync.connected();
  });
  socket.on('disconnect', (reason) => {
    sync.disconnected();
    report('disconnect');
    if (reason === 'io server disconnect') again();
  });
  socket.on('connect_error', () => {
    report('retry');
    if (!socket.active) again();
  });
  socket.io.on('reconnect_failed', again);
  // socket.io's typed maps say arrays today; a single message is accepted too.
  socket.on('zones:changed', () => handlers.zones?.());
  socket.on('wall:config', ({ name }) => handlers.screen?.(name));
  socket.on('alert:new', (m) => deliver(() => give(asList(m))));
  socket.on('alert:update', (m) => deliver(() => give(asList(m))));
  socket.on('alert:packed', (_header, body) => deliver(async () => {
    const { created, updated } = await unpackAlerts(body);
    give([...created, ...updated]);
  }));

  return () => {
    closed = true;
    sync.disconnected();
    clearTimeout(retry);
    socket.removeAllListeners();
    socket.io.removeAllListeners();
    socket.disconnect();
  };
}
