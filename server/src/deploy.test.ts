import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_KEYS, loadConfig } from './config.ts';
import { ERRORS } from './errors/catalogue.ts';
import { MAX_ICS_BYTES } from './http/calendar-routes.ts';
import { MAX_ZONES_FILE_BYTES } from './http/city-routes.ts';
import { MAX_BODY_BYTES } from './http/events-routes.ts';
import { MAX_GTFS_ZIP_BYTES } from './http/feeds-routes.ts';
import { MAX_CSV_BYTES, MAX_FEED_BYTES } from './ingest/feed-ingest.ts';

const root = new URL('../../', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, root), 'utf8');

type Service = { image?: string; build?: string; healthcheck?: { test: string[] }; environment?: Record<string, string | null>; depends_on?: Record<string, unknown>; ports?: string[]; volumes?: string[] };

/** An nginx size (`3m`, `64k`, bytes) in bytes. */
const nginxBytes = (size: string) => Number(size.slice(0, -1)) * ({ k: 1024, m: 1024 * 1024 } as Record<string, number>)[size.slice(-1).toLowerCase()]! || Number(size);

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };

  it('has postgres, redis, an MQTT broker, two nodes and a proxy, each with a health check', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['mqtt', 'postgres', 'proxy', 'redis', 'vigie-1', 'vigie-2']);
    for (const [name, s] of Object.entries(compose.services)) {
      expect(s.healthcheck?.test?.length, `${name} health check`).toBeGreaterThan(0);
      expect(s.image ?? s.build, `${name} image`).toBeTruthy();
    }
  });

  it('gives the nodes only variables that the config module knows, and the shared services', () => {
    for (const node of ['vigie-1', 'vigie-2']) {
      const env = compose.services[node]!.environment!;
      for (const k of Object.keys(env)) expect(CONFIG_KEYS, `${node}: ${k}`).toContain(k);
      expect(env.DATABASE_URL).toMatch(/@postgres:5432\//);
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      expect(env.MQTT_URL).toBe('mqtt://${MQTT_USER:-vigie}:${MQTT_PASSWORD:?set MQTT_PASSWORD}@mqtt:1883');
      expect(Object.keys(compose.services[node]!.depends_on!)).toEqual(['postgres', 'redis', 'mqtt']);
    }
    expect(compose.services['vigie-1']!.environment!.VIGIE_NODE_ID).not.toBe(compose.services['vigie-2']!.environment!.VIGIE_NODE_ID);
  });

  it('gives the nodes an environment the config module accepts, the shared broker\'s URL included', () => {
    // As compose would interpolate it with the required secrets set and nothing else.
    const given = { POSTGRES_PASSWORD: 'secret', MQTT_PASSWORD: 'mqtt-secret', VIGIE_PSEUDONYM_KEY: 'a-key-of-16-characters' } as Record<string, string>;
    const interpolate = (v: string) => v.replace(/\$\{(\w+)(?::?[-?]([^}]*))?\}/g, (_, name: string, fallback?: string) => given[name] ?? fallback ?? '');
    const env = Object.fromEntries(Object.entries(compose.services['vigie-1']!.environment!).filter(([, v]) => v !== null).map(([k, v]) => [k, interpolate(v!)]));
    const config = loadConfig(env);
    expect(config.MQTT_URL).toBe('mqtt://vigie:mqtt-secret@mqtt:1883');
    // No shared-subscription group unless asked for: a node stopped for maintenance would hold its share of the messages.
    expect(config.VIGIE_MQTT_SHARE_GROUP).toBe('');
    expect(config.DATABASE_URL).toBe('postgres://vigie:secret@postgres:5432/vigie');
  });

  it('passes VIGIE_TILE_URL as the environment has it: unset, the server\'s default; set, even empty, as it is', () => {
    // `KEY:` with no value: compose passes the variable when it is set (empty included) and
    // leaves it out when not; a `${KEY:-default}` would turn an empty value into the default.
    const raw = read('docker-compose.yml');
    expect(raw).toMatch(/^ {4}VIGIE_TILE_URL:\s*$/m);
    expect(compose.services['vigie-1']!.environment!.VIGIE_TILE_URL).toBeNull();
    // No default holding a brace: some compose versions end the default at its first "}".
    expect(raw).not.toMatch(/\$\{\w+:?-[^}\n]*\{/);
    expect(loadConfig({ VIGIE_DEMO: '1' }).VIGIE_TILE_URL).toMatch(/^https:\/\/tile\.openstreetmap\.org\//);
    expect(loadConfig({ VIGIE_DEMO: '1', VIGIE_TILE_URL: '' }).VIGIE_TILE_URL).toBe('');
  });

  it('runs one Mosquitto for both nodes, published on 1883, signed in to (no anonymous client)', () => {
    const mqtt = compose.services.mqtt!;
    expect(mqtt.image).toBe('eclipse-mosquitto:2');
    expect(mqtt.ports).toContain('1883:1883');
    expect(mqtt.volumes).toContain('./deploy/mosquitto.conf:/mosquitto/config/mosquitto.conf:ro');
    expect(mqtt.healthcheck!.test[1]).toMatch(/^mosquitto_sub /);
    const conf = read('deploy/mosquitto.conf').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    // Mosquitto 2 listens on localhost only unless told otherwise; its password file is made from the environment at each start.
    expect(conf).toContain('listener 1883');
    expect(conf).toContain('allow_anonymous false');
    expect(conf).toContain('password_file /mosquitto/data/passwd');
    expect(conf).toContain('acl_file /mosquitto/data/acl');
    const start = (mqtt as { command?: string[] }).command!.join(' ');
    expect(start).toContain('mosquitto_passwd -b /mosquitto/data/passwd "$$MQTT_USER" "$$MQTT_PASSWORD"');
    expect(start).toMatch(/exec mosquitto -c \/mosquitto\/config\/mosquitto\.conf$/);
    expect(mqtt.healthcheck!.test.join(' ')).toContain('-u "$$MQTT_USER" -P "$$MQTT_PASSWORD"');
    expect(conf).toContain('persistence true');
  });

  it('the proxy sends to both nodes and passes WebSocket upgrades', () => {
    const nginx = read('deploy/nginx.conf');
    expect(nginx).toMatch(/server vigie-1:3000 resolve;/);
    expect(nginx).toMatch(/server vigie-2:3000 resolve;/);
    expect(nginx).toMatch(/zone vigie \d+k;/);
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
  });

  it('the proxy lets through more than each route of the server takes, so that the server\'s JSON 413 answers', () => {
    const nginx = read('deploy/nginx.conf');
    const limitIn = (block: string) => nginxBytes(/client_max_body_size\s+(\w+);/.exec(block)![1]!);
    const location = (path: string) => {
      const m = new RegExp(`location\\s+(?:=\\s+)?${path.replace(/[/.]/g, '\\$&')}\\s*\\{([^}]*)\\}`).exec(nginx);
      expect(m, path).not.toBeNull();
      return limitIn(m![1]!);
    };
    const serverWide = limitIn(nginx.slice(nginx.indexOf('server {')));
    expect(serverWide).toBeGreaterThan(Math.max(MAX_BODY_BYTES, MAX_FEED_BYTES, MAX_ICS_BYTES));
    expect(location('/api/v1/ingest/csv')).toBeGreaterThan(MAX_CSV_BYTES);
    expect(location('/api/v1/zones/import')).toBeGreaterThan(MAX_ZONES_FILE_BYTES);
    expect(location('/api/v1/feeds/gtfs-static')).toBeGreaterThan(MAX_GTFS_ZIP_BYTES);
    // Past the proxy's own limit, the error's JSON shape still, naming the route's limit.
    expect(nginx).toMatch(/error_page 413 @too_large;/);
    expect(nginx).toContain(`'{"limitBytes":${MAX_CSV_BYTES}}'`);
    expect(nginx).toContain(`'{"limitBytes":${MAX_ZONES_FILE_BYTES}}'`);
    expect(nginx).toContain(`'{"limitBytes":${MAX_GTFS_ZIP_BYTES}}'`);
    const body = /return 413 '(.*)';/.exec(nginx)![1]!.replace('$vigie_body_details', '{"limitBytes":1}').replace(/\\n$/, '');
    expect(JSON.parse(body)).toEqual({ error: { code: 'VIGIE_BATCH_TOO_LARGE', message: expect.any(String), details: { limitBytes: 1 } } });
  });
});

describe('README', () => {
  const readme = read('README.md');
  it('documents every configuration variable', () => {
    for (const k of CONFIG_KEYS) expect(readme, k).toContain(`\`${k}\``);
  });
  it('documents every error code (one catalogue, checked against the docs)', () => {
    for (const code of Object.keys(ERRORS)) expect(readme, code).toContain(`\`${code}\``);
  });
  it('shows the two commands', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
  });
});
