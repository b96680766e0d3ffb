import { LIVE_HEALTH_ONLY, type FeedHealth } from '@vigie/rules';
import { io } from 'socket.io-client';
import type { LiveSocket } from '../live/live-client.ts';

/**
 * The feeds page's live link: `feed:health` as the server pushes it (every 10 s), and nothing
 * else (no alert frames, no map: the handshake asks for feed health only). `connected` tells
 * whether the figures shown are still live. Returns the teardown.
 */
export function followFeedHealth(handlers: { health(feeds: FeedHealth[]): void; connected(up: boolean): void }, url = '/live'): () => void {
  const socket: LiveSocket = io(url, { withCredentials: true, transports: ['websocket'], auth: { only: LIVE_HEALTH_ONLY } });
  socket.on('connect', () => handlers.connected(true));
  socket.on('disconnect', (reason) => {
    handlers.connected(false);
    // The server closed the link on purpose (a restart): socket.io will not retry by itself.
    if (reason === 'io server disconnect') socket.connect();
  });
  socket.on('connect_error', () => handlers.connected(false));
  socket.on('feed:health', (feeds) => handlers.health(feeds));
  return () => {
    socket.removeAllListeners();
    socket.disconnect();
  };
}
