import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_KEYS } from './config.ts';
import { ERRORS } from './errors/catalogue.ts';

const root = new URL('../../', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, root), 'utf8');

type Service = { image?: string; build?: string; healthcheck?: { test: string[] }; environment?: Record<string, string>; depends_on?: Record<string, unknown> };

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };

  it('has postgres, redis, two nodes and a proxy, each with a health check', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['postgres', 'proxy', 'redis', 'vigie-1', 'vigie-2']);
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
      expect(Object.keys(compose.services[node]!.depends_on!)).toEqual(['postgres', 'redis']);
    }
    expect(compose.services['vigie-1']!.environment!.VIGIE_NODE_ID).not.toBe(compose.services['vigie-2']!.environment!.VIGIE_NODE_ID);
  });

  it('the proxy sends to both nodes and passes WebSocket upgrades', () => {
    const nginx = read('deploy/nginx.conf');
    expect(nginx).toMatch(/server vigie-1:3000;/);
    expect(nginx).toMatch(/server vigie-2:3000;/);
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
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
