import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

const demo = { VIGIE_DEMO: '1' };

describe('VIGIE_TRUST_PROXY', () => {
  it('takes a number of hops, or addresses, subnets and keywords', () => {
    expect(loadConfig(demo).VIGIE_TRUST_PROXY).toBe('loopback');
    expect(loadConfig({ ...demo, VIGIE_TRUST_PROXY: '1' }).VIGIE_TRUST_PROXY).toBe(1);
    expect(loadConfig({ ...demo, VIGIE_TRUST_PROXY: 'loopback, 10.0.0.0/8, 192.168.1.0/255.255.255.0, fd00::1' }).VIGIE_TRUST_PROXY).toBe('loopback, 10.0.0.0/8, 192.168.1.0/255.255.255.0, fd00::1');
  });

  it('refuses at start anything else, naming the entry', () => {
    expect(() => loadConfig({ ...demo, VIGIE_TRUST_PROXY: 'loopback, nginx' })).toThrow(/VIGIE_TRUST_PROXY: "nginx": a number of hops/);
    expect(() => loadConfig({ ...demo, VIGIE_TRUST_PROXY: '10.0.0.0/40' })).toThrow(/"10.0.0.0\/40"/);
  });
});

describe('TZ', () => {
  it('takes a time zone Intl knows', () => {
    expect(loadConfig(demo).TZ).toBe('Europe/Paris');
    expect(loadConfig({ ...demo, TZ: 'America/Martinique' }).TZ).toBe('America/Martinique');
    expect(loadConfig({ ...demo, TZ: 'UTC' }).TZ).toBe('UTC');
  });

  it('refuses an unknown one at start, naming it (not a RangeError from Intl mid-request)', () => {
    expect(() => loadConfig({ ...demo, TZ: 'Mars/Olympus' })).toThrow(/TZ: "Mars\/Olympus": not a time zone/);
    expect(() => loadConfig({ ...demo, TZ: 'Paris' })).toThrow(/TZ: "Paris"/);
  });
});

describe('HOST', () => {
  it('takes an IP address or a host name', () => {
    for (const host of ['0.0.0.0', '127.0.0.1', '::', '::1', 'localhost', 'vigie-1', 'node.example.org', 'vigie_vigie-1_1']) expect(loadConfig({ ...demo, HOST: host }).HOST).toBe(host);
  });

  it('refuses anything else at start, naming it', () => {
    for (const host of ['http://localhost', 'localhost:3000', '0.0.0.0 ', '-bad', 'a..b', '[::1]', 'a/b', ''.padEnd(64, 'x')]) {
      expect(() => loadConfig({ ...demo, HOST: host }), host).toThrow(/HOST: ".*": an IP address/);
    }
  });
});

describe('VIGIE_MQTT_SHARE_GROUP', () => {
  it('is empty by default (no shared subscription); a name is taken as it is', () => {
    expect(loadConfig(demo).VIGIE_MQTT_SHARE_GROUP).toBe('');
    expect(loadConfig({ ...demo, VIGIE_MQTT_SHARE_GROUP: '' }).VIGIE_MQTT_SHARE_GROUP).toBe('');
    expect(loadConfig({ ...demo, VIGIE_MQTT_SHARE_GROUP: 'vigie-prod_2' }).VIGIE_MQTT_SHARE_GROUP).toBe('vigie-prod_2');
    expect(loadConfig({ ...demo, VIGIE_MQTT_SHARE_GROUP: ''.padEnd(64, 'g') }).VIGIE_MQTT_SHARE_GROUP).toHaveLength(64);
  });

  it('refuses at start what MQTT does not take in a group name, or a name too long, naming the variable', () => {
    for (const group of ['vigie/prod', 'vigie+', '#', 'a\tb']) {
      expect(() => loadConfig({ ...demo, VIGIE_MQTT_SHARE_GROUP: group }), group).toThrow(/VIGIE_MQTT_SHARE_GROUP: ".*": a shared-subscription group name may not hold '\/', '\+', '#'/);
    }
    expect(() => loadConfig({ ...demo, VIGIE_MQTT_SHARE_GROUP: ''.padEnd(65, 'g') })).toThrow(/VIGIE_MQTT_SHARE_GROUP: ".*": at most 64 characters/);
  });
});

describe('VIGIE_FEED_ALLOW_HOSTS', () => {
  it('is empty by default (no loopback or link-local host is polled); takes host names and addresses, comma-separated', () => {
    expect(loadConfig(demo).VIGIE_FEED_ALLOW_HOSTS).toEqual([]);
    expect(loadConfig({ ...demo, VIGIE_FEED_ALLOW_HOSTS: '' }).VIGIE_FEED_ALLOW_HOSTS).toEqual([]);
    expect(loadConfig({ ...demo, VIGIE_FEED_ALLOW_HOSTS: '127.0.0.1, ::1,[fe80::1], gtfs.local ,' }).VIGIE_FEED_ALLOW_HOSTS).toEqual(['127.0.0.1', '::1', '[fe80::1]', 'gtfs.local']);
  });

  it('refuses at start anything else, naming the entry', () => {
    for (const entry of ['http://127.0.0.1', '127.0.0.1:8080', 'a/b', '10.0.0.0/8']) {
      expect(() => loadConfig({ ...demo, VIGIE_FEED_ALLOW_HOSTS: `localhost,${entry}` }), entry).toThrow(/VIGIE_FEED_ALLOW_HOSTS: ".*": host names or IP addresses/);
    }
  });
});

describe('service URLs', () => {
  it('takes PostgreSQL and Redis URLs of their own schemes', () => {
    expect(loadConfig({ ...demo, DATABASE_URL: 'postgres://vigie:pw@db:5432/vigie' }).DATABASE_URL).toBe('postgres://vigie:pw@db:5432/vigie');
    expect(loadConfig({ ...demo, DATABASE_URL: 'postgresql://db/vigie?sslmode=require' }).DATABASE_URL).toBe('postgresql://db/vigie?sslmode=require');
    expect(loadConfig({ ...demo, REDIS_URL: 'rediss://:pw@cache:6380' }).REDIS_URL).toBe('rediss://:pw@cache:6380');
  });

  it('refuses another scheme at start, naming the variable and the scheme expected, never the value (it may hold a password)', () => {
    for (const url of ['mysql://vigie:pw-secret@db/vigie', 'http://vigie:pw-secret@db:5432/vigie', 'file:///pw-secret', 'pw-secret']) {
      expect(() => loadConfig({ ...demo, DATABASE_URL: url }), url).toThrow(/^invalid configuration:\n {2}DATABASE_URL: (a postgres:\/\/ or postgresql:\/\/ URL is expected|not a URL)/);
      expect(() => loadConfig({ ...demo, DATABASE_URL: url })).not.toThrow(/pw-secret/);
    }
    expect(() => loadConfig({ ...demo, REDIS_URL: 'http://:pw-secret@cache:6379' })).toThrow(/REDIS_URL: a redis:\/\/ or rediss:\/\/ URL is expected/);
    expect(() => loadConfig({ ...demo, REDIS_URL: 'http://:pw-secret@cache:6379' })).not.toThrow(/pw-secret/);
  });
});

describe('secrets in configuration errors', () => {
  const SECRET = 'pw-secret';
  it('are never echoed: the variable is named, and the position of a bad item in a list', () => {
    const bad: Record<string, string>[] = [
      { VIGIE_PSEUDONYM_PREVIOUS_KEYS: `k1=0123456789abcdef,k2=${SECRET}` },
      { VIGIE_PSEUDONYM_PREVIOUS_KEYS: `k1:${SECRET}-0123456789abcdef` },
      { VIGIE_PSEUDONYM_KEY: SECRET },
      { VIGIE_ADMIN_PASSWORD: SECRET },
      { VIGIE_ADMIN_PASSWORD: SECRET.repeat(30) },
      { DATABASE_URL: `not a url ${SECRET}` },
      { REDIS_URL: `${SECRET}` },
      { MQTT_URL: `${SECRET}` },
    ];
    for (const env of bad) {
      const [name] = Object.keys(env);
      let message = '';
      try {
        loadConfig({ ...demo, ...env });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message, name).toContain(`${name}: `);
      expect(message, name).not.toContain(SECRET);
    }
    expect(() => loadConfig({ ...demo, VIGIE_PSEUDONYM_PREVIOUS_KEYS: `k1=0123456789abcdef,k2=${SECRET}` })).toThrow(/VIGIE_PSEUDONYM_PREVIOUS_KEYS: item 2: expected id=key/);
  });
});

describe('VIGIE_STARTUP_WAIT_MS', () => {
  it('waits 15 s for PostgreSQL and Redis by default; takes 1 s to 10 min', () => {
    expect(loadConfig(demo).VIGIE_STARTUP_WAIT_MS).toBe(15_000);
    expect(loadConfig({ ...demo, VIGIE_STARTUP_WAIT_MS: '60000' }).VIGIE_STARTUP_WAIT_MS).toBe(60_000);
    for (const bad of ['0', '999', '600001', 'soon']) expect(() => loadConfig({ ...demo, VIGIE_STARTUP_WAIT_MS: bad }), bad).toThrow(/VIGIE_STARTUP_WAIT_MS/);
  });
});
