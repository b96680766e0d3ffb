/** What the top bar shows about the live link. */
export type ConnectionPhase = 'connected' | 'reconnecting' | 'offline';

export type ConnectionState = {
  phase: ConnectionPhase;
  /** When the link was lost (ms since epoch); null while connected. */
  since: number | null;
};

/** What happens to the link, with the time it happened (time is passed in, never read). */
export type ConnectionEvent =
  | { type: 'connect'; at: number }
  | { type: 'disconnect'; at: number }
  /** A (re)connection attempt failed; the client keeps trying. */
  | { type: 'retry'; at: number }
  /** The browser lost the network, or the client stopped trying. */
  | { type: 'offline'; at: number }
  /** The browser is back online: the client tries again. */
  | { type: 'online'; at: number };

export const initialConnection = (at: number): ConnectionState => ({ phase: 'reconnecting', since: at });

/** The next state of the link; `since` keeps the moment it was first lost. */
export function nextConnection(state: ConnectionState, event: ConnectionEvent): ConnectionState {
  switch (event.type) {
    case 'connect':
      return { phase: 'connected', since: null };
    case 'disconnect':
    case 'retry':
      // Failed attempts while offline stay offline: the browser has no network.
      return state.phase === 'connected' ? { phase: 'reconnecting', since: event.at } : state;
    case 'offline':
      return state.phase === 'offline' ? state : { phase: 'offline', since: state.since ?? event.at };
    case 'online':
      return state.phase === 'offline' ? { phase: 'reconnecting', since: state.since } : state;
  }
}
