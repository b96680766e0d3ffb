import type { ItemReason } from './item-reason.ts';

/**
 * The wire types of the feeds' administration (`/api/v1/feeds`, its dead letters), typed once
 * for the server and the console.
 */

/** A polled GTFS-Realtime URL, or an MQTT topic filter mapped to an adapter (what an admin sends). */
export type FeedConfigInput =
  | { kind: 'gtfs-rt-poll'; id: string; source: string; url: string; intervalSeconds: number; enabled: boolean }
  | { kind: 'mqtt'; id: string; source: string; format: string; topic: string; enabled: boolean };

/** A stored configuration: its input, and what the last poll learned. */
export type FeedConfig = FeedConfigInput & {
  format: string;
  etag: string | null;
  lastModified: string | null;
  lastPollAt: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
};

/** An item a feed's message held that was refused: its position in the message, and why. */
export type ItemRejection = { index: number; error: { code: string; message: string; field?: string; reason?: ItemReason } };

/** What a dead letter's last replay answered. */
export type ReplayRecord = { status: number; body: unknown };

/** A refused payload kept (sealed) with why, for an admin to see and replay after a fix. */
export type DeadLetterSummary = {
  id: number;
  at: string;
  format: string;
  source: string | null;
  sender: string;
  code: string;
  reason: string;
  rejected: ItemRejection[];
  replayedAt: string | null;
  replay: ReplayRecord | null;
};
