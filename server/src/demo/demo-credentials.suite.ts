import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NO_ADMIN_HINT, noAdminNote } from '../auth/first-admin.ts';
import { loadConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import { listAccounts } from '../storage/accounts-repo.ts';
import { listAudit } from '../storage/audit-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { FEED, liveClient, login, postEvents } from '../testing/harness.ts';
import { createVigie, type Vigie } from '../vigie.ts';

export type LogLine = { level: string; msg: string; fields?: Record<string, unknown> };
export type Started = { vigie: Vigie; url: string; db: SqlClient; lines: LogLine[]; stop: () => Promise<void> };
/** One database (a data folder, a schema), started on again and again as a deployment would be. */
export type Deployment = { start: (env: Record<string, string>, log: Logger) => Promise<Vigie>; drop: () => Promise<void> };

const DEMO = { VIGIE_DEMO: '1', VIGIE_SIMULATOR: '0', VIGIE_TILE_URL: '' };
const CITY_PASSWORD = 'city-strong-pass-2026';
const PROD = { VIGIE_DEMO: '0', VIGIE_PSEUDONYM_KEY: 'a-test-key-of-32-characters-long', VIGIE_TILE_URL: '' };

function capture(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, ...(fields ? { fields } : {}) });
  return { log: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

export const configFor = (env: Record<string, string>) => loadConfig({ VIGIE_LOG: 'error', ...env });

/** `deployment()` gives a new database each time; every test starts nodes on it one after another. */
export function demoCredentialsSuite(name: string, deployment: () => Promise<Deployment>) {
  describe(`demo credentials outside demo mode (${name})`, () => {
    let dep: Deployment | undefined;
    let running: Started | undefined;
    afterEach(async () => {
      await running?.stop();
      running = undefined;
      await dep?.drop();
      dep = undefined;
    });

    const start = async (env: Record<string, string>): Promise<Started> => {
      await running?.stop();
      const { log, lines } = capture();
      const vigie = await dep!.start(env, log);
      const { server } = await vigie.listen(0, '127.0.0.1');
      let stopped = false;
      running = {
        vigie, db: vigie.db, lines, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        stop: async () => {
          if (stopped) return;
          stopped = true;
          await vigie.stop();
        },
      };
      return running;
    };
    const refused = (url: string, user: string, password = user) => expect(login(url, user, password)).rejects.toThrow(/401/);
    const warnings = (n: Started) => n.lines.filter((l) => l.level === 'warn').map((l) => l.msg);
    const wallState = (url: string) => fetch(`${url}/api/v1/wall/state?token=demo-wall`).then((r) => r.status);
    const event = (id: string) => ({ id, source: 'csu', type: 'incident.noise', time: new Date().toISOString(), location: { lat: 43.2965, lon: 5.3698 } });

    it('a demo\'s data started outside demo mode: the demo accounts and tokens are refused, admin gets VIGIE_ADMIN_PASSWORD, each kind is logged once', async () => {
      dep = await deployment();
      let node = await start(DEMO);
      const demoAdmin = await login(node.url, 'admin', 'admin');
      expect((await postEvents(node.url, event('demo-1'))).status).toBe(202);
      expect(await wallState(node.url)).toBe(200);

      node = await start({ ...PROD, VIGIE_ADMIN_PASSWORD: CITY_PASSWORD });
      for (const user of ['admin', 'operator', 'supervisor']) await refused(node.url, user);
      expect((await fetch(`${node.url}/api/v1/auth/me`, { headers: demoAdmin.headers })).status).toBe(401);
      expect((await postEvents(node.url, event('demo-2'), FEED)).status).toBe(401);
      expect(await wallState(node.url)).toBe(401);
      await expect(liveClient(node.url, { wallToken: 'demo-wall' })).rejects.toThrow();
      const admin = await login(node.url, 'admin', CITY_PASSWORD);
      expect((await fetch(`${node.url}/api/v1/auth/me`, { headers: admin.headers })).status).toBe(200);

      // Kept, disabled (the audit log and alerts name them); admin enabled again with the new password.
      expect((await listAccounts(node.db)).map((a) => [a.username, a.role, a.disabled])).toEqual([
        ['admin', 'admin', false], ['operator', 'operator', true], ['supervisor', 'supervisor', true]]);
      const warned = warnings(node);
      expect(warned.filter((m) => m.startsWith('demo accounts disabled: admin, operator, supervisor still had their demo password'))).toHaveLength(1);
      expect(warned.filter((m) => m.startsWith('demo feed token revoked: demo-feed-token'))).toHaveLength(1);
      expect(warned.filter((m) => m.startsWith('demo display token revoked: demo-wall'))).toHaveLength(1);
      expect(warned.filter((m) => m.startsWith('this database was seeded in demo mode'))).toHaveLength(1);
      expect(warned.filter((m) => m.startsWith('first administrator: the account admin was set from VIGIE_ADMIN_PASSWORD'))).toHaveLength(1);
      expect(warned.some((m) => m.includes(NO_ADMIN_HINT))).toBe(false);
      expect(node.lines.find((l) => l.msg.startsWith('demo accounts disabled'))!.fields).toEqual({ accounts: ['admin', 'operator', 'supervisor'], reason: 'demo-password' });
      const audit = (await listAudit(node.db, { actor: 'system', limit: 20 })).map((e) => [e.action, e.target]);
      expect(audit).toEqual(expect.arrayContaining([['user.update', 'operator'], ['user.update', 'supervisor'], ['user.update', 'admin'], ['feed-token.revoke', expect.any(String)], ['display-token.revoke', expect.any(String)]]));
      expect(await noAdminNote(node.db)).toBe('');

      // Started again outside demo mode: nothing left to disable, nothing said again.
      node = await start({ ...PROD, VIGIE_ADMIN_PASSWORD: CITY_PASSWORD });
      expect(warnings(node).filter((m) => /demo|administrator/.test(m))).toEqual([]);
      expect(node.lines.some((l) => l.level === 'info' && l.msg.startsWith('VIGIE_ADMIN_PASSWORD not used'))).toBe(true);
      await login(node.url, 'admin', CITY_PASSWORD);

      // The demo itself is as before: a demo start on the same data opens its accounts and tokens again.
      node = await start(DEMO);
      for (const user of ['admin', 'operator', 'supervisor']) await login(node.url, user);
      expect((await postEvents(node.url, event('demo-3'))).status).toBe(202);
      expect(await wallState(node.url)).toBe(200);
      expect(warnings(node).filter((m) => /demo|administrator/.test(m))).toEqual([]);
    }, 180_000);

    it('demo accounts whose password was changed are kept, said once; VIGIE_ADMIN_PASSWORD then changes nothing', async () => {
      dep = await deployment();
      let node = await start(DEMO);
      const admin = await login(node.url, 'admin', 'admin');
      for (const [user, password] of [['operator', 'a changed password 1'], ['admin', 'kept by the city 2026']] as const) {
        const res = await fetch(`${node.url}/api/v1/users/${user}`, { method: 'PATCH', headers: admin.headers, body: JSON.stringify({ password }) });
        expect(res.status).toBe(200);
      }

      node = await start({ ...PROD, VIGIE_ADMIN_PASSWORD: CITY_PASSWORD });
      await login(node.url, 'admin', 'kept by the city 2026');
      await login(node.url, 'operator', 'a changed password 1');
      await refused(node.url, 'supervisor');
      await refused(node.url, 'admin', CITY_PASSWORD);
      const warned = warnings(node);
      expect(warned.filter((m) => m.startsWith('demo accounts disabled: supervisor still'))).toHaveLength(1);
      const seeded = node.lines.filter((l) => l.msg.startsWith('this database was seeded in demo mode'));
      expect(seeded).toHaveLength(1);
      expect(seeded[0]!.msg).toContain('the demo accounts admin, operator were kept, enabled, as their passwords were changed since');
      expect(seeded[0]!.fields).toMatchObject({ keptAccounts: ['admin', 'operator'] });
      expect(warned.some((m) => m.startsWith('first administrator'))).toBe(false);
      expect(node.lines.some((l) => l.msg.startsWith('VIGIE_ADMIN_PASSWORD not used: 1 enabled administrator exists'))).toBe(true);

      // Said once after each demo start, not at every start.
      node = await start({ ...PROD, VIGIE_ADMIN_PASSWORD: CITY_PASSWORD });
      expect(warnings(node).filter((m) => /demo/.test(m))).toEqual([]);
    }, 180_000);

    it('no enabled administrator and no VIGIE_ADMIN_PASSWORD: a warning, and the banner\'s note', async () => {
      dep = await deployment();
      let node = await start(PROD);
      expect(warnings(node)).toEqual([NO_ADMIN_HINT]);
      expect(await listAccounts(node.db)).toEqual([]);
      expect(await noAdminNote(node.db)).toBe(` (${NO_ADMIN_HINT})`);
      expect(NO_ADMIN_HINT).toMatch(/^no administrator account: set VIGIE_ADMIN_PASSWORD/);

      // A demo's data without VIGIE_ADMIN_PASSWORD: its demo admin disabled, and the same warning.
      node = await start(DEMO);
      expect(await noAdminNote(node.db)).toBe('');
      node = await start(PROD);
      for (const user of ['admin', 'operator', 'supervisor']) await refused(node.url, user);
      expect(warnings(node).filter((m) => m.startsWith('demo accounts disabled: admin, operator, supervisor'))).toHaveLength(1);
      expect(warnings(node).filter((m) => m === NO_ADMIN_HINT)).toHaveLength(1);
      expect(await noAdminNote(node.db)).toContain('set VIGIE_ADMIN_PASSWORD');
    }, 180_000);
  });
}
