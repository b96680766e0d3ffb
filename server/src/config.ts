import { isIP } from 'node:net';
import { z } from 'zod';
import { DEFAULT_ESCALATION, parseEscalationPolicy } from './alerts/escalation-policy.ts';
import { parsePreviousKeys } from './ingest/keyring.ts';
import { STARTUP_CONNECT_MS } from './startup.ts';
import { knownTimeZone } from './time/zoned-time.ts';

const flag = z.enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no']).transform((v) => ['1', 'true', 'on', 'yes'].includes(v));

/**
 * Every setting Vigie reads from the environment, with its default. Nothing else reads
 * `process.env`.
 */
/** One entry of VIGIE_TRUST_PROXY: a keyword, an address, or a subnet (address/prefix or address/mask). */
function trustedProxy(x: string): boolean {
  if (x === 'loopback' || x === 'linklocal' || x === 'uniquelocal') return true;
  const [ip, range, extra] = x.split('/');
  if (extra !== undefined || !ip || !isIP(ip)) return false;
  if (range === undefined) return true;
  return /^\d+$/.test(range) ? Number(range) <= (isIP(ip) === 4 ? 32 : 128) : isIP(range) === isIP(ip);
}


/**
 * A host name (dot-separated labels of letters, digits and inner hyphens, RFC 1123; an
 * underscore too, as container names have and resolvers take) or an IP address, as
 * `server.listen` takes them: not a URL, nor a host with a port.
 */
const HOST_NAME = /^(?=.{1,253}\.?$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;
const listenHost = (host: string): boolean => isIP(host) !== 0 || HOST_NAME.test(host);

/**
 * A URL of one of `schemes` (`postgres:`…). The messages name the scheme expected, never the
 * value: a service URL may hold a password.
 */
const serviceUrl = (schemes: string[], what: string) => z.string().superRefine((v, ctx) => {
  let scheme: string;
  try {
    scheme = new URL(v).protocol;
  } catch {
    return ctx.addIssue({ code: 'custom', message: `not a URL (${what})` });
  }
  if (!schemes.includes(scheme)) ctx.addIssue({ code: 'custom', message: `a ${schemes.map((s) => `${s}//`).join(' or ')} URL is expected (${what})` });
});

/** The longest VIGIE_MQTT_SHARE_GROUP taken (MQTT allows more; a group name is a short word). */
const MAX_SHARE_GROUP = 64;

const Env = z.object({
  /** HTTP port (0 picks a free one). */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to listen on: an IP address or a host name (refused at start otherwise, not when listening fails). */
  HOST: z.string().default('0.0.0.0').superRefine((v, ctx) => {
    if (!listenHost(v)) ctx.addIssue({ code: 'custom', message: `"${v}": an IP address (0.0.0.0, ::, 127.0.0.1) or a host name` });
  }),
  /** PGlite's folder and other local state. */
  VIGIE_DATA_DIR: z.string().default('./data'),
  /** PostgreSQL URL (postgres:// or postgresql://); unset means embedded PGlite in VIGIE_DATA_DIR. */
  DATABASE_URL: serviceUrl(['postgres:', 'postgresql:'], 'PostgreSQL; unset: embedded PGlite').optional(),
  /** Redis URL (redis:// or rediss://); set, socket.io uses the Redis adapter so that several nodes share alerts. */
  REDIS_URL: serviceUrl(['redis:', 'rediss:'], 'Redis').optional(),
  /** External MQTT broker; unset means an in-process broker on VIGIE_MQTT_PORT. */
  MQTT_URL: z.string().url().optional(),
  /** Port of the in-process MQTT broker. */
  VIGIE_MQTT_PORT: z.coerce.number().int().min(0).max(65535).default(1884),
  /**
   * With MQTT_URL: the shared-subscription group (`$share/<group>/<filter>`) of the nodes on
   * that broker, so that each message goes to one node of the group; empty (the default): no
   * shared subscription, every node gets every message (a stopped node's share would wait at
   * the broker for it, see README). MQTT forbids '/', '+' and '#' in a group name.
   */
  VIGIE_MQTT_SHARE_GROUP: z.string().default('').superRefine((v, ctx) => {
    if (v.length > MAX_SHARE_GROUP) ctx.addIssue({ code: 'custom', message: `"${v.slice(0, 20)}…": at most ${MAX_SHARE_GROUP} characters` });
    else if (/[/+#\p{Cc}]/u.test(v)) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)}: a shared-subscription group name may not hold '/', '+', '#' or a control character (empty: no shared subscription)` });
  }),
  /** Demo mode: demo accounts, demo city, simulator. */
  VIGIE_DEMO: flag.default(false),
  /** Run the event simulator (demo mode only); off in tests that post their own events. */
  VIGIE_SIMULATOR: flag.default(true),
  /** Map tiles URL template; empty draws the vector layers only. */
  VIGIE_TILE_URL: z.string().default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
  /** Attribution shown with the tiles. */
  VIGIE_TILE_ATTRIBUTION: z.string().default('© OpenStreetMap contributors'),
  /** HMAC key for pseudonyms of personal data; required outside demo mode. */
  VIGIE_PSEUDONYM_KEY: z.string().min(16).optional(),
  /** Id stored with each pseudonym, naming VIGIE_PSEUDONYM_KEY (change it when the key rotates). */
  VIGIE_PSEUDONYM_KEY_ID: z.string().regex(/^[A-Za-z0-9_-]{1,16}$/).default('k1'),
  /** Earlier pseudonym keys after a rotation, `id=key,id=key`: still recognised, never used for new data. */
  VIGIE_PSEUDONYM_PREVIOUS_KEYS: z.string().optional().superRefine((v, ctx) => {
    try { parsePreviousKeys(v); } catch (e) { ctx.addIssue({ code: 'custom', message: (e as Error).message }); }
  }),
  /** Attribute names holding personal data beside the built-in English and French ones, comma-separated (their values become pseudonyms). */
  VIGIE_PERSONAL_FIELDS: z.string().default('').transform((v) => v.split(',').map((f) => f.trim()).filter(Boolean)),
  /**
   * Hosts a polled feed may be fetched from although they are loopback or link-local (refused
   * otherwise, see feeds/gtfs-rt/outbound-url.ts): host names or IP addresses as the feed URLs
   * write them, comma-separated. None by default.
   */
  VIGIE_FEED_ALLOW_HOSTS: z.string().default('').transform((v) => v.split(',').map((h) => h.trim()).filter(Boolean)).superRefine((hosts, ctx) => {
    const bad = hosts.find((h) => !listenHost(h.replace(/^\[(.*)\]$/, '$1')));
    if (bad !== undefined) ctx.addIssue({ code: 'custom', message: `"${bad}": host names or IP addresses (127.0.0.1, ::1, gtfs.local), comma-separated` });
  }),
  /**
   * Days a dead letter is kept (a refused payload, with why): older ones are deleted by the
   * hourly purge, replayed or not; 0 keeps them for good. A feed refused again and again (a
   * wrong format sent every minute) would otherwise fill the disk.
   */
  VIGIE_DEAD_LETTER_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  /** Events per second each feed token may push through /api/v1/ingest (bursts of 2 s); 0 turns the limit off. */
  VIGIE_FEED_RATE_LIMIT: z.coerce.number().int().min(0).default(100_000),
  /**
   * CAP `<geocode>` codes that name an area holding the whole city, comma-separated: a bare value
   * (any `valueName`) or `valueName=value`. A warning area given only by one of them covers the
   * city's outline; Marseille's: its département (13), its INSEE commune code, Bouches-du-Rhône's NUTS 3.
   */
  VIGIE_CAP_CITY_GEOCODES: z.string().default('13,13055,FRL04,FR823'),
  /** Folder of rule files loaded at start. */
  VIGIE_RULES_DIR: z.string().optional(),
  /** Built console (SvelteKit) to serve; unset uses web/build next to the server. */
  VIGIE_WEB_DIR: z.string().optional(),
  /**
   * Outside demo mode, the first administrator: at start, when no enabled administrator
   * exists, the account `admin` is made (or enabled) with this password; never changed otherwise.
   */
  VIGIE_ADMIN_PASSWORD: z.string().min(12, 'at least 12 characters').max(200).optional(),
  /** Session lifetime in hours. */
  VIGIE_SESSION_HOURS: z.coerce.number().positive().default(12),
  /** The city's time zone: an IANA name that this Node knows (checked at start: Intl would throw a RangeError later, mid-request). */
  TZ: z.string().default('Europe/Paris').superRefine((v, ctx) => {
    if (!knownTimeZone(v)) ctx.addIssue({ code: 'custom', message: `"${v}": not a time zone this Node knows (an IANA name such as Europe/Paris or UTC)` });
  }),
  /** This node's name (engine snapshots are per node); unset: host name and port. */
  VIGIE_NODE_ID: z.string().max(100).optional(),
  /** How long (ms) a node waits at start for PostgreSQL and Redis to answer before it gives up (exit 2). */
  VIGIE_STARTUP_WAIT_MS: z.coerce.number().int().min(1000).max(600_000).default(STARTUP_CONNECT_MS),
  /** How late (ms) an event may arrive and still be evaluated in event-time order; windowed rules wait this long. */
  VIGIE_ALLOWED_LATENESS_MS: z.coerce.number().int().min(0).max(3_600_000).default(120_000),
  /** Alert lifecycle: minutes an open alert of each severity waits for an acknowledgement before it escalates (info never does). */
  VIGIE_ESCALATION: z.string().default(DEFAULT_ESCALATION).superRefine((v, ctx) => {
    try { parseEscalationPolicy(v); } catch (e) { ctx.addIssue({ code: 'custom', message: (e as Error).message }); }
  }),
  /** Alert lifecycle: live fan-out window in ms (alert changes are sent in one frame per window; 0 sends each at once). */
  VIGIE_LIVE_FLUSH_MS: z.coerce.number().int().min(0).max(1000).default(30),
  /**
   * Which proxies in front of this node to believe about the client's address and scheme
   * (Express's `trust proxy`): a number of hops (`1`: the one proxy of docker compose), or
   * addresses, subnets and the words loopback, linklocal, uniquelocal, comma-separated.
   * Trusting a whole private network would let a client on it name any address it likes.
   */
  VIGIE_TRUST_PROXY: z.string().default('loopback').superRefine((v, ctx) => {
    if (/^\d+$/.test(v.trim())) return;
    const bad = v.split(',').map((x) => x.trim()).find((x) => !trustedProxy(x));
    if (bad !== undefined) ctx.addIssue({ code: 'custom', message: `"${bad}": a number of hops, or addresses, subnets (10.0.0.0/8) and loopback, linklocal, uniquelocal, comma-separated` });
  }).transform((v) => (/^\d+$/.test(v.trim()) ? Number(v.trim()) : v)),
  /** Log level. */
  VIGIE_LOG: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export type Config = Readonly<z.infer<typeof Env>>;

const KEEP_EMPTY = new Set(['VIGIE_TILE_URL', 'VIGIE_MQTT_SHARE_GROUP']);

export class ConfigError extends Error {}

/** Reads and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable counts as unset, except where empty means something (no tiles, no shared MQTT subscription).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([k, v]) => v !== undefined && (v !== '' || KEEP_EMPTY.has(k))));
  const parsed = Env.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const c = parsed.data;
  if (!c.VIGIE_DEMO && !c.VIGIE_PSEUDONYM_KEY) {
    throw new ConfigError('invalid configuration:\n  VIGIE_PSEUDONYM_KEY: required outside demo mode (at least 16 characters)');
  }
  return Object.freeze(c);
}

/** The variables, their defaults and descriptions, for the README test. */
export const CONFIG_KEYS = Object.keys(Env.shape);
