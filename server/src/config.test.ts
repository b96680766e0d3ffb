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
