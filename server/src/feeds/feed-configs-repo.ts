import type * as Wire from '@vigie/rules';
import { z } from 'zod';
import { iso, type SqlClient } from '../storage/sql-client.ts';
import { type AllowedHosts, refusedUrl } from './gtfs-rt/outbound-url.ts';
import { FORMATS } from './registry.ts';

const Id = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'lower-case letters, digits, "_", "." or "-"');
const Source = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'lower-case letters, digits, "_", "." or "-", at most 64');
/** An MQTT topic filter: levels without wildcards, `+` for one level, `#` last. */
const Topic = z.string().min(1).max(200).refine((t) => t.split('/').every((l, i, all) => (l === '#' ? i === all.length - 1 : !/[#+]/.test(l) || l === '+')), 'an MQTT topic filter (+ for one level, # last)');

/**
 * A polled GTFS-RT URL or an MQTT topic mapped to an adapter. The URL's host may not be a
 * loopback or link-local address as written, nor `localhost`, unless `allow` lists it
 * (VIGIE_FEED_ALLOW_HOSTS), while the configuration is enabled; a name is checked at each
 * poll, once resolved (outbound-url.ts).
 */
export const feedConfigInput = (allow: AllowedHosts = new Set()) => z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('gtfs-rt-poll'),
    id: Id,
    source: Source,
    url: z.url({ protocol: /^https?$/ }),
    intervalSeconds: z.number().int().min(1).max(86_400).default(30),
    enabled: z.boolean().default(true),
  }).superRefine((c, ctx) => {
    // A configuration turned off polls nothing: one saved before this check (naming localhost) can still be turned off.
    const refusal = c.enabled && URL.canParse(c.url) ? refusedUrl(c.url, allow) : undefined;
    if (refusal) ctx.addIssue({ code: 'custom', path: ['url'], message: refusal });
  }),
  z.strictObject({
    kind: z.literal('mqtt'),
    id: Id,
    source: Source,
    format: z.enum(FORMATS as [string, ...string[]]),
    topic: Topic,
    enabled: z.boolean().default(true),
  }),
]);
export const FeedConfigInput = feedConfigInput();
export type FeedConfigInput = z.infer<typeof FeedConfigInput>;
/** What the schema gives is what the console sends (the wire type, typed once in @vigie/rules). */
true satisfies (FeedConfigInput extends Wire.FeedConfigInput ? (Wire.FeedConfigInput extends FeedConfigInput ? true : false) : false);
export type FeedConfig = Wire.FeedConfig;

type Row = { id: string; kind: string; source: string; format: string; url: string | null; interval_s: number | null; topic: string | null; enabled: boolean;
  etag: string | null; last_modified: string | null; last_poll_at: unknown; last_error: string | null; created_at: unknown; updated_at: unknown };

const toConfig = (r: Row): FeedConfig => ({
  ...(r.kind === 'mqtt'
    ? { kind: 'mqtt' as const, topic: r.topic! }
    : { kind: 'gtfs-rt-poll' as const, url: r.url!, intervalSeconds: r.interval_s! }),
  id: r.id, source: r.source, format: r.format, enabled: r.enabled,
  etag: r.etag, lastModified: r.last_modified, lastPollAt: r.last_poll_at ? iso(r.last_poll_at) : null, lastError: r.last_error,
  createdAt: iso(r.created_at), updatedAt: iso(r.updated_at),
}) as FeedConfig;

export async function listFeedConfigs(db: SqlClient): Promise<FeedConfig[]> {
  return (await db.query<Row>('SELECT * FROM feed_configs ORDER BY id')).map(toConfig);
}

export async function getFeedConfig(db: SqlClient, id: string): Promise<FeedConfig | undefined> {
  const [r] = await db.query<Row>('SELECT * FROM feed_configs WHERE id = $1', [id]);
  return r ? toConfig(r) : undefined;
}

/** Creates (`create`) or replaces a configuration; answers false when `create` meets an existing id or a replace finds none. */
export async function saveFeedConfig(db: SqlClient, c: FeedConfigInput, now: Date, create: boolean): Promise<boolean> {
  const values = [c.id, c.kind, c.source, c.kind === 'mqtt' ? c.format : 'gtfs-rt', c.kind === 'gtfs-rt-poll' ? c.url : null,
    c.kind === 'gtfs-rt-poll' ? c.intervalSeconds : null, c.kind === 'mqtt' ? c.topic : null, c.enabled, now.toISOString()];
  const rows = create
    ? await db.query(`INSERT INTO feed_configs (id, kind, source, format, url, interval_s, topic, enabled, created_at, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT (id) DO NOTHING RETURNING id`, values)
    : await db.query(`UPDATE feed_configs SET kind = $2, source = $3, format = $4, url = $5, interval_s = $6, topic = $7, enabled = $8,
        updated_at = $9, etag = NULL, last_modified = NULL, last_error = NULL WHERE id = $1 RETURNING id`, values);
  return rows.length > 0;
}

/**
 * What the last poll of a URL learned: validators for the next conditional request, or an
 * error. Recorded only while the configuration still polls that URL: a poll of its previous
 * version that ends after an admin changed it leaves the new one's state alone.
 */
export async function recordPoll(db: SqlClient, id: string, url: string, at: Date, p: { etag?: string | null; lastModified?: string | null; error?: string | null }): Promise<void> {
  await db.query(
    `UPDATE feed_configs SET last_poll_at = $2, last_error = $3,
       etag = CASE WHEN $4::boolean THEN $5 ELSE etag END, last_modified = CASE WHEN $4::boolean THEN $6 ELSE last_modified END
     WHERE id = $1 AND url = $7`,
    [id, at.toISOString(), p.error ?? null, p.etag !== undefined, p.etag ?? null, p.lastModified ?? null, url],
  );
}
