import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertTransition } from '@vigie/rules';
import { createLogger } from '../logger.ts';
import { actOnAlert, applyTransition } from '../storage/alerts-repo.ts';
import { listAudit } from '../storage/audit-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import type { TestDatabase } from '../testing/databases.ts';
import { ruleQuality } from './rule-quality.ts';
import { getPublishedRule, insertShadowAlerts, listRuleVersions, listShadowAlerts } from './rules-repo.ts';
import { RulesStore, type RuleSet } from './rules-store.ts';
import { STOCK_RULES_DIR } from '../engine/rule-files.ts';

const NOW = new Date('2026-11-28T20:00:00Z');
const RULE = (title: string, comment = '') => `id: test-rule\n${comment}title: "${title}"\nseverity: high\nkind: match\nwhere: { type: "incident.*" }\n`;

const transition = (ruleId: string, key: string, at = NOW.getTime()): AlertTransition => ({
  kind: 'fired', ruleId, ruleVersion: 1, key, at, severity: 'high', title: `Alert ${key}`, actions: [], zones: ['Z1'], count: 1,
  location: { lat: 43.3, lon: 5.37 },
  explanation: { summary: 'matched', conditions: ['type = incident.*'], numbers: {} },
  evidence: [{ source: 'csu', id: key, type: 'incident.theft', time: NOW.toISOString() }],
});

/** Rules stored with versions: the same behaviour on PGlite and on PostgreSQL. */
export function rulesStoreSuite(name: string, open: () => Promise<TestDatabase>) {
  describe(`rules in the database on ${name}`, () => {
    let t: TestDatabase;
    let db: SqlClient;
    let store: RulesStore;
    const heard: RuleSet[] = [];
    beforeAll(async () => {
      t = await open();
      db = t.db;
      store = new RulesStore(db, createLogger('silent'), () => NOW);
      store.onChange((s) => heard.push(s));
    });
    afterAll(async () => { await store?.close(); await t?.drop(); });

    it('seeds every library file as version 1 once, then loads them compiled', async () => {
      const first = await store.seed(STOCK_RULES_DIR);
      expect(first.seeded.length).toBeGreaterThanOrEqual(5);
      expect((await store.seed(STOCK_RULES_DIR)).seeded).toEqual([]);
      const set = await store.load();
      expect(set.rules.map((r) => r.id).sort()).toEqual([...first.seeded].sort());
      expect(set.rules.every((r) => r.version === 1)).toBe(true);
      const v = await listRuleVersions(db, first.seeded[0]!);
      expect(v).toMatchObject([{ version: 1, author: 'system' }]);
      expect(v[0]!.comment).toMatch(/^seeded from .*\.yaml$/);
    });

    it("updates a library rule to the library's new text, unless a supervisor published a version of it", async () => {
      const dir = mkdtempSync(join(tmpdir(), 'vigie-library-'));
      try {
        // A new release of the library: two files changed. A supervisor had tuned one of them.
        const stock = (id: string) => readFileSync(join(STOCK_RULES_DIR, `${id}.yaml`), 'utf8');
        expect((await store.publish({ id: 'serious-accident', yaml: stock('serious-accident').replace(/^title: .*$/m, 'title: "Accident grave (réglé par la salle)"'), author: 'sup', comment: 'tuned' }, 'update')).ok).toBe(true);
        writeFileSync(join(dir, 'feed-silent.yaml'), stock('feed-silent').replace('for: 20m', 'for: 25m'));
        writeFileSync(join(dir, 'serious-accident.yaml'), stock('serious-accident').replace('Any accident', 'Every accident'));
        writeFileSync(join(dir, 'assault-injured.yaml'), stock('assault-injured'));
        expect(await store.seed(dir)).toMatchObject({ seeded: [], updated: ['feed-silent'], edited: ['serious-accident'] });
        const [latest] = await listRuleVersions(db, 'feed-silent');
        expect(latest).toMatchObject({ version: 2, author: 'system', comment: 'library update from feed-silent.yaml' });
        expect(latest!.yaml).toContain('for: 25m');
        expect((await getPublishedRule(db, 'serious-accident'))!.yaml).toContain('réglé par la salle');
        expect((await store.seed(dir)).updated).toEqual([]); // once
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('publishes new versions with author, comment and diff, audited, and tells its listeners', async () => {
      const created = await store.publish({ id: 'test-rule', yaml: RULE('One'), author: 'sup', comment: 'first' }, 'create');
      expect(created).toMatchObject({ ok: true, rule: { version: 1, shadow: false } });
      expect(await store.publish({ id: 'test-rule', yaml: RULE('Again'), author: 'sup', comment: '' }, 'create')).toEqual({ ok: false, reason: 'exists' });
      expect(await store.publish({ id: 'nope', yaml: RULE('x'), author: 'sup', comment: '' }, 'update')).toEqual({ ok: false, reason: 'not-found' });
      expect(await store.publish({ id: 'test-rule', yaml: RULE('One'), author: 'sup', comment: '' }, 'update')).toEqual({ ok: false, reason: 'unchanged' });
      const second = await store.publish({ id: 'test-rule', yaml: RULE('Two', '# a comment kept\n'), author: 'boss', comment: 'retitled' }, 'update');
      expect(second.ok && second.version).toMatchObject({ version: 2, author: 'boss', comment: 'retitled' });
      expect(second.ok && second.version.diff).toContain('-title: "One"');
      expect(second.ok && second.version.diff).toContain('+title: "Two"');
      expect(second.ok && second.version.diff).toContain('+# a comment kept');
      expect(heard.at(-1)!.rules.find((r) => r.id === 'test-rule')).toMatchObject({ version: 2, title: 'Two' });
      const audit = await listAudit(db, { target: 'test-rule', limit: 10 });
      expect(audit.map((a) => [a.action, a.actor])).toEqual([['rule.publish', 'boss'], ['rule.create', 'sup']]);
    });

    it('rolls back by publishing an old version again as the next one', async () => {
      const [, , v1] = [...(await listRuleVersions(db, 'test-rule')), undefined];
      expect(v1).toBeUndefined(); // two versions so far
      const versions = await listRuleVersions(db, 'test-rule');
      const old = versions.find((v) => v.version === 1)!;
      const back = await store.publish({ id: 'test-rule', yaml: old.yaml, author: 'sup', comment: 'rollback to version 1' }, 'update', 'rule.rollback');
      expect(back.ok && back.rule).toMatchObject({ version: 3, yaml: RULE('One') });
      expect((await getPublishedRule(db, 'test-rule'))!.version).toBe(3);
      expect(store.current().rules.find((r) => r.id === 'test-rule')!.title).toBe('One');
      expect((await listAudit(db, { target: 'test-rule', limit: 1 }))[0]!.action).toBe('rule.rollback');
    });

    it('switches shadow mode, and records shadow alerts apart', async () => {
      expect(await store.setShadow('nope', true, 'sup')).toBeUndefined();
      expect(await store.setShadow('test-rule', true, 'sup')).toMatchObject({ shadow: true, version: 3 });
      expect([...store.current().shadow]).toEqual(['test-rule']);
      const worded = { ...transition('test-rule', 'k2', NOW.getTime() + 1000), translations: { en: { title: 'Alert k2 in English', actions: [] } } };
      await insertShadowAlerts(db, [transition('test-rule', 'k1'), worded]);
      expect((await listShadowAlerts(db, 'test-rule', 10)).map((a) => [a.key, a.translations])).toEqual([['k2', worded.translations], ['k1', {}]]);
      await store.setShadow('test-rule', false, 'sup');
      expect(store.current().shadow.size).toBe(0);
      expect((await listAudit(db, { target: 'test-rule', limit: 2 })).map((a) => a.action)).toEqual(['rule.shadow-off', 'rule.shadow-on']);
    });

    it('measures rule quality: alerts per day, acknowledged and false-positive shares, median time to acknowledge', async () => {
      const ids: string[] = [];
      for (const k of ['q1', 'q2', 'q3', 'q4']) ids.push((await applyTransition(db, transition('noisy', k), NOW))!.alert.id);
      const later = (s: number) => new Date(NOW.getTime() + s * 1000);
      await actOnAlert(db, ids[0]!, 1, 'op', { action: 'ack' }, later(60));
      await actOnAlert(db, ids[1]!, 1, 'op', { action: 'ack' }, later(180));
      await actOnAlert(db, ids[1]!, 2, 'op', { action: 'dismiss', reason: 'false_positive', note: 'cat on camera' }, later(200));
      await actOnAlert(db, ids[2]!, 1, 'op', { action: 'dismiss', reason: 'false_positive' }, later(30));
      await actOnAlert(db, ids[3]!, 1, 'op', { action: 'dismiss', reason: 'duplicate' }, later(30));
      const q = (await ruleQuality(db, later(3600), 30)).get('noisy')!;
      expect(q).toMatchObject({ alerts: 4, acknowledgedShare: 0.5, falsePositiveShare: 0.5, medianSecondsToAck: 120 });
      expect(q.alertsPerDay).toBeCloseTo(4 / 30);
      expect((await ruleQuality(db, later(3600), 30)).get('test-rule')).toMatchObject({ alerts: 0, shadowAlerts: 2 });
    });
  });
}
