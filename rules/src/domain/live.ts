import type { Alert } from './alert.ts';

/** One alert message on the wire: the alert at `version`, numbered by the global `seq`. */
export type AlertMessage = { seq: number; version: number; alert: Alert };

export type FeedHealth = {
  source: string;
  lastEventAt: string | null;
  lastReceivedAt: string | null;
  eventsLastHour: number;
  /**
   * `imported`: a source fed only by one-off uploads (a CSV import) over the last day: listed,
   * never late or silent. A source that also sends live messages is judged on those.
   */
  status: 'ok' | 'late' | 'silent' | 'no-data' | 'imported';
  /** The last upload for this source over the last day (null: none), and the events uploads stored then. */
  lastImportAt?: string | null;
  importedLastDay?: number;
  /** Live events stored per minute over the last hour (the figures of `GET /api/v1/feeds`; optional for older servers). */
  ratePerMinute?: number;
  /** Items refused over items received in the last hour (0 to 1). */
  errorRate?: number;
  /** Seconds between the newest event's time and when it was received (how late the feed runs). */
  lagSeconds?: number | null;
  /**
   * The usual time between the feed's messages over the last day (null: too few to say): a feed
   * is late after twice that (at least 5 min), silent after four times (at least 30 min).
   */
  usualIntervalSeconds?: number | null;
  /**
   * Events of the last hour that reached the rules later than the allowed lateness (evaluated
   * best effort, not in event-time order), and the latest of them (seconds).
   */
  lateLastHour?: number;
  lateMaxSeconds?: number;
  /** Events of the last hour stamped ahead of the clock beyond the allowed skew, and the furthest (seconds). */
  futureLastHour?: number;
  futureMaxSeconds?: number;
  /** For a source Vigie polls (a GTFS-RT URL), why its last poll failed (null: it did not); such a source is listed from its configuration on, `no-data` until it delivers. */
  lastError?: string | null;
};

/** A thinned sample of what moves on the map. */
export type MapSample = {
  vehicles: { id: string; line?: string; lat: number; lon: number; bearing?: number; time: string }[];
  events: { source: string; id: string; type: string; time: string; lat: number; lon: number; severity?: number }[];
};

export type SyncRequest = { since: number };

/**
 * The answer to `sync`: alert messages after `since` in seq order (at most a page of them,
 * 2000 by default), and the seq up to which they are complete (`lastSeq`, `since` when there
 * are none). `more`: the page stopped short; ask again from `lastSeq` until it is false.
 * (Servers before it answered without `more`: read a missing one as false.)
 */
export type SyncReply = { messages: AlertMessage[]; lastSeq: number; more: boolean };

/**
 * How a client wants its alert batches. `json` (the default): `alert:new` and `alert:update`
 * frames of messages. `deflate-raw`: one `alert:packed` frame per flush window instead,
 * compressed once on the server for every client that asked for it (permessage-deflate, by
 * contrast, would compress once per client), and sent as one text frame built once for all
 * of them. Asked for in the handshake: `auth: { encoding: 'deflate-raw' }`.
 */
export const LIVE_ENCODINGS = ['json', 'deflate-raw'] as const;
export type LiveEncoding = (typeof LIVE_ENCODINGS)[number];

/**
 * Asked for in the handshake (`auth: { only: 'feed:health' }`) by a page that follows feed
 * health and nothing else (the admin's feeds page): no alert frames, no map samples, only
 * `feed:health` (and `zones:changed`).
 */
export const LIVE_HEALTH_ONLY = 'feed:health';

/** What an `alert:packed` frame holds once inflated: the window's `alert:new` and `alert:update` messages. */
export type AlertBatchBody = { created: AlertMessage[]; updated: AlertMessage[] };

/** Read without inflating: how many messages the frame holds and its seq range. */
export type PackedHeader = { created: number; updated: number; firstSeq: number; lastSeq: number };

/** Server → client events of the `/live` namespace. */
export interface ServerToClient {
  /**
   * Alert messages are batched: each frame carries every message of one short flush window
   * (in seq order, one per alert: its latest version). `alert:new` holds alerts created
   * in the window, `alert:update` the changes to alerts created before.
   */
  'alert:new': (m: AlertMessage[]) => void;
  'alert:update': (m: AlertMessage[]) => void;
  /**
   * For clients that asked for `deflate-raw`, instead of the two above: `body` is the base64
   * of the raw-deflated UTF-8 JSON of an {@link AlertBatchBody}. (Base64 in a text frame
   * rather than a binary attachment: socket.io then encodes the frame once for all clients
   * instead of twice per client, which costs the server half as much per window.)
   */
  'alert:packed': (header: PackedHeader, body: string) => void;
  /** To supervisors only: alerts that escalated for not being acknowledged in time. */
  'alert:escalated': (m: AlertMessage[]) => void;
  'feed:health': (h: FeedHealth[]) => void;
  /** The city's zones changed (a CAP warning's area came or went, zones imported): `GET /api/v1/zones` again. */
  'zones:changed': (z: { at: string }) => void;
  /** A wall screen's configuration changed (views, language, dwell): screens read their bootstrap again. */
  'wall:config': (c: { name: string }) => void;
  'events:sample': (s: MapSample) => void;
}

/** Client → server events of the `/live` namespace. */
export interface ClientToServer {
  /**
   * Ask for the alert messages after `since`; the reply lists them in seq order, a page at a
   * time: while it says `more`, ask again from its `lastSeq`.
   */
  sync: (req: SyncRequest, reply: (r: SyncReply) => void) => void;
}
