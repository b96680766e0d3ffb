import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, AlertTransition } from '@vigie/rules';
import { getAlert, lastSeq } from '../storage/alerts-repo.ts';
import { listAudit } from '../storage/audit-repo.ts';
import { createSilence, listSilences } from '../storage/silences-repo.ts';
import type { TestDatabase } from '../testing/databases.ts';
import { AlertService } from './alert-service.ts';
import { parseEscalationPolicy } from './escalation-policy.ts';

const T0 = Date.parse('2026-11-28T20:00:00Z');
let clock = T0;
const MIN = 60_000;

const fire = (key: string, id: string, over: Partial<AlertTransition> = {}): AlertTransition => ({
  kind: 'fired', ruleId: 'assault', ruleVersion: 1, key, at: clock, severity: 'high', title: `Assault ${key}`, actions: [],
  location: { lat: 43.3, lon: 5.37 }, zones: ['z-port'], count: 1,
  explanation: { summary: 'one event', conditions: [], numbers: {} },
  evidence: [{ source: 'csu', id, type: 'incident.assault', time: new Date(clock).toISOString() }],
  suppressMs: 10 * MIN, ...over,
});

/** The lifecycle on one database: run on PGlite (lifecycle.test.ts) and PostgreSQL (lifecycle.int.test.ts). */
export function lifecycleSuite(name: string, open: () => Promise<TestDatabase>) {
describe(`alert lifecycle on ${name}`, () => {
  let t: TestDatabase;
  let service: AlertService;
  const published: { alert: Alert; isNew: boolean }[] = [];
  const escalated: Alert[][] = [];
  beforeAll(async () => {
    t = await open();
    service = new AlertService(t.db, { publish: (alert, isNew) => published.push({ alert, isNew }), escalated: (a) => escalated.push(a) },
      () => new Date(clock), { escalation: parseEscalationPolicy('high=2,critical=1') });
  });
  afterAll(async () => { await t?.drop(); });

  it('changes commit in seq order: a reader asking for what follows the last seq it saw would miss none', { timeout: 60_000 }, async () => {
    clock = T0;
    const alerts = await service.applyTransitions(Array.from({ length: 20 }, (_, i) => fire(`race-${i}`, `race-e${i}`, { ruleId: 'race' })));
    const versions = new Map(alerts.map((a) => [a.id, a.version]));
    // The reader reads every row each time: a seq that shows up below the highest one it had already seen committed late, and
    // a client syncing "after seq n" would have skipped it for good.
    let highest = 0, writing = true;
    const seen = new Set<number>(), late: number[] = [];
    const reader = (async () => {
      while (writing) {
        const rows = await t.db.query<{ seq: string }>("SELECT seq::text AS seq FROM alerts WHERE rule_id = 'race'");
        const fresh = rows.map((r) => Number(r.seq)).filter((q) => !seen.has(q));
        for (const q of fresh) if (q < highest) late.push(q);
        for (const q of fresh) { seen.add(q); highest = Math.max(highest, q); }
      }
    })();
    for (let round = 0; round < 10; round++) {
      // A comment on every alert at once: concurrent transactions, each taking a seq.
      const done = await Promise.all(alerts.map((a) => service.act(a.id, versions.get(a.id)!, 'alice', { action: 'comment', text: `round ${round}` })));
      for (const d of done) if (d.ok) versions.set(d.alert.id, d.alert.version);
    }
    writing = false;
    await reader;
    expect(seen.size).toBeGreaterThan(20);
    expect(late).toEqual([]);
  });

  it('a firing replayed after a restart or a takeover (every event already held) changes nothing; a new event counts', async () => {
    clock = T0;
    const [a] = await service.applyTransitions([fire('replay', 'rp1')]);
    const pushed = published.length;
    expect(await service.applyTransitions([fire('replay', 'rp1')])).toEqual([]);
    expect(published).toHaveLength(pushed);
    const [b] = await service.applyTransitions([fire('replay', 'rp2')]);
    expect(b).toMatchObject({ id: a!.id, count: 2 });
  });

  it('firing again within suppress after resolution reopens the alert; later, a new one', async () => {
    clock = T0;
    const [a] = await service.applyTransitions([fire('k1', 'e1')]);
    const done = await service.act(a!.id, a!.version, 'alice', { action: 'resolve', note: 'patrol on site' });
    expect(done.ok && done.alert.status).toBe('resolved');
    clock += 5 * MIN;
    const [again] = await service.applyTransitions([fire('k1', 'e2')]);
    expect(again).toMatchObject({ id: a!.id, status: 'open', count: 2 });
    expect(again!.evidence.map((e) => e.id)).toEqual(['e1', 'e2']);
    expect(again!.history.map((h) => h.action)).toEqual(['fired', 'resolve', 'reopened']);
    expect(published.at(-1)).toMatchObject({ isNew: false, alert: { id: a!.id, version: again!.version } });

    const closed = await service.act(a!.id, again!.version, 'alice', { action: 'resolve' });
    expect(closed.ok).toBe(true);
    clock += 11 * MIN;
    const [fresh] = await service.applyTransitions([fire('k1', 'e3')]);
    expect(fresh!.id).not.toBe(a!.id);
    expect(fresh!.count).toBe(1);
  });

  it('a dismissed alert is not reopened', async () => {
    clock = T0 + 60 * MIN;
    const [a] = await service.applyTransitions([fire('k2', 'd1')]);
    await service.act(a!.id, a!.version, 'bob', { action: 'dismiss', reason: 'duplicate' });
    clock += MIN;
    const [b] = await service.applyTransitions([fire('k2', 'd2')]);
    expect(b!.id).not.toBe(a!.id);
  });

  it('an alert not acknowledged in time escalates once per delay, audited, supervisors told; an ack stops it', async () => {
    clock = T0 + 120 * MIN;
    const [a] = await service.applyTransitions([fire('k3', 'x1')]);
    expect(a!.ackDueAt).toBe(new Date(clock + 2 * MIN).toISOString());
    clock += MIN;
    expect((await service.escalate()).map((x) => x.id)).not.toContain(a!.id);
    clock += MIN + 1000;
    const [up] = (await service.escalate()).filter((x) => x.id === a!.id);
    expect(up).toMatchObject({ severity: 'critical', escalations: 1, version: a!.version + 1, ackDueAt: new Date(clock + MIN).toISOString() });
    expect(up!.history.at(-1)).toMatchObject({ by: 'system', action: 'escalated', note: 'high → critical' });
    expect(escalated.at(-1)!.map((x) => x.id)).toContain(a!.id);
    expect((await listAudit(t.db, { target: a!.id, limit: 10 }))[0]).toMatchObject({ actor: 'system', action: 'alert.escalate' });

    const acked = await service.act(a!.id, up!.version, 'carol', { action: 'ack' });
    expect(acked.ok && acked.alert.ackDueAt).toBeNull();
    clock += 10 * MIN;
    expect((await service.escalate()).map((x) => x.id)).not.toContain(a!.id);
  });

  it('a silence by zone holds new alerts back (stored, marked, never escalated) until it ends', async () => {
    clock = T0 + 200 * MIN;
    const s = await createSilence(t.db, { matcher: 'zone', value: 'z-quiet', reason: 'works in progress', until: new Date(clock + 30 * MIN).toISOString() }, 'sup', new Date(clock));
    const [held] = await service.applyTransitions([fire('k4', 's1', { zones: ['z-quiet'] })]);
    expect(held).toMatchObject({ silencedBy: s.id, ackDueAt: null, status: 'open' });
    clock += 20 * MIN;
    expect((await service.escalate()).map((x) => x.id)).not.toContain(held!.id);
    clock += 15 * MIN; // the silence is over
    const [free] = await service.applyTransitions([fire('k5', 's2', { zones: ['z-quiet'] })]);
    expect(free!.silencedBy).toBeNull();
  });

  it('a new silence holds back the active alerts it covers (by zone, rule or key), not the one it lasts until, nor closed ones', async () => {
    clock = T0 + 250 * MIN;
    const [a, b, other] = await service.applyTransitions([fire('h1', 'h1', { zones: ['z-held'] }), fire('h2', 'h2', { zones: ['z-held', 'z-port'] }), fire('h3', 'h3', { zones: ['z-free'] })]);
    const [closed] = await service.applyTransitions([fire('h4', 'h4', { zones: ['z-held'] })]);
    await service.act(closed!.id, closed!.version, 'dan', { action: 'resolve' });
    const pushed = published.length;
    const { silence: s, held } = await service.silence({ matcher: 'zone', value: 'z-held', reason: 'works', until: new Date(clock + 60 * MIN).toISOString() }, 'sup');
    expect(held.map((x) => x.id).sort()).toEqual([a!.id, b!.id].sort());
    expect(held[0]).toMatchObject({ silencedBy: s.id, ackDueAt: null, status: 'open' });
    expect(held.find((x) => x.id === a!.id)).toMatchObject({ version: a!.version + 1 });
    expect(held[0]!.history.at(-1)).toMatchObject({ by: 'sup', action: 'silenced', note: 'works' });
    expect(held[0]!.seq).toBeGreaterThan(Math.max(a!.seq, b!.seq));
    expect(published.slice(pushed).map((p) => p.alert.id).sort()).toEqual([a!.id, b!.id].sort());
    // Held back: never escalated while the silence lasts.
    clock += 30 * MIN;
    const due = (await service.escalate()).map((x) => x.id);
    expect(due).toContain(other!.id);
    expect(due).not.toContain(a!.id);
    expect(due).not.toContain(b!.id);
    // Its time over, the escalation job lets them go: back in the queue, their delay started again.
    clock += 31 * MIN;
    await service.escalate();
    const back = await getAlert(t.db, a!.id);
    expect(back).toMatchObject({ silencedBy: null, ackDueAt: new Date(clock + 2 * MIN).toISOString() });
    expect(back!.history.at(-1)).toMatchObject({ by: 'system', action: 'unsilenced' });
  });

  it('a silence until an alert closes holds the others of its rule until then, and lets them go when it closes', async () => {
    clock = T0 + 270 * MIN;
    const [c, d] = await service.applyTransitions([fire('h5', 'h5', { ruleId: 'held-rule' }), fire('h6', 'h6', { ruleId: 'held-rule' })]);
    const { held } = await service.silence({ matcher: 'rule', value: 'held-rule', reason: 'handled', untilAlert: c!.id }, 'sup');
    expect(held.map((x) => x.id)).toEqual([d!.id]);
    const pushed = published.length;
    await service.act(c!.id, c!.version, 'dan', { action: 'resolve' });
    const free = await getAlert(t.db, d!.id);
    expect(free).toMatchObject({ silencedBy: null, status: 'open', ackDueAt: new Date(clock + 2 * MIN).toISOString() });
    expect(published.slice(pushed).map((p) => p.alert.id)).toContain(d!.id);
  });

  it('a silence until an alert resolves ends when that alert is resolved', async () => {
    clock = T0 + 300 * MIN;
    const [a] = await service.applyTransitions([fire('k6', 'u1', { ruleId: 'noisy' })]);
    const s = await createSilence(t.db, { matcher: 'rule', value: 'noisy', reason: 'known', untilAlert: a!.id }, 'sup', new Date(clock));
    const [b] = await service.applyTransitions([fire('k7', 'u2', { ruleId: 'noisy' })]);
    expect(b!.silencedBy).toBe(s.id);
    await service.act(a!.id, a!.version, 'dan', { action: 'resolve' });
    expect((await listSilences(t.db, new Date(clock))).map((x) => x.id)).not.toContain(s.id);
    const [c] = await service.applyTransitions([fire('k8', 'u3', { ruleId: 'noisy' })]);
    expect(c!.silencedBy).toBeNull();
  });
  it('an operator reopens a dismissed alert with a reason: open again, history, audit, a new seq, pushed, its escalation timer restarted', async () => {
    clock = T0 + 400 * MIN;
    const [a] = await service.applyTransitions([fire('r1', 'ro1')]);
    const dismissed = await service.act(a!.id, a!.version, 'bob', { action: 'dismiss', reason: 'false_positive' });
    expect(dismissed.ok && dismissed.alert).toMatchObject({ status: 'dismissed', ackDueAt: null });
    const d = (dismissed as { alert: Alert }).alert;
    clock += 5 * MIN;
    const seqBefore = await lastSeq(t.db);
    const reopened = await service.act(a!.id, d.version, 'sup', { action: 'reopen', note: 'wrong key: the fight is still going on' });
    expect(reopened.ok).toBe(true);
    const r = (reopened as { alert: Alert }).alert;
    expect(r).toMatchObject({ id: a!.id, status: 'open', version: d.version + 1, ackDueAt: new Date(clock + 2 * MIN).toISOString() });
    expect(r.seq).toBeGreaterThan(seqBefore);
    expect(r.history.map((h) => h.action)).toEqual(['fired', 'dismiss', 'reopen']);
    expect(r.history.at(-1)).toMatchObject({ by: 'sup', note: 'wrong key: the fight is still going on', at: new Date(clock).toISOString() });
    expect(published.at(-1)).toMatchObject({ isNew: false, alert: { id: a!.id, version: r.version, status: 'open' } });
    expect((await listAudit(t.db, { target: a!.id, limit: 10 }))[0]).toMatchObject({
      actor: 'sup', action: 'alert.reopen', details: { version: d.version, note: 'wrong key: the fight is still going on' },
    });
    // Not acknowledged in time, it escalates like a new alert.
    clock += 2 * MIN + 1000;
    expect((await service.escalate()).map((x) => x.id)).toContain(a!.id);
  });

  it('a resolved alert reopens; the engine then updates it, and its clearing leaves it open for a person to close', async () => {
    clock = T0 + 500 * MIN;
    const [a] = await service.applyTransitions([fire('r2', 'rr1')]);
    const resolved = await service.act(a!.id, a!.version, 'alice', { action: 'resolve', note: 'patrol left' });
    const cleared = await service.applyTransitions([{ ...fire('r2', 'rr1'), kind: 'resolved' }]);
    expect(cleared).toEqual([]); // closed: the engine's clearing changes nothing
    clock += 30 * MIN; // past suppress: the engine alone would open a new alert
    const r = await service.act(a!.id, (resolved as { alert: Alert }).alert.version, 'sup', { action: 'reopen', note: 'caller says it started again' });
    expect(r.ok && r.alert).toMatchObject({ status: 'open', conditionActive: true });
    const [again] = await service.applyTransitions([fire('r2', 'rr2')]);
    expect(again).toMatchObject({ id: a!.id, status: 'open', count: 2 });
    const [clearedNow] = await service.applyTransitions([{ ...fire('r2', 'rr2'), kind: 'resolved' }]);
    expect(clearedNow).toMatchObject({ id: a!.id, status: 'open', conditionActive: false });
    expect(clearedNow!.history.map((h) => h.action)).toEqual(['fired', 'resolve', 'reopen', 'condition-cleared']);
  });

  it('reopening is refused from open or acknowledged, with a stale version, or beside a newer active alert of the same key', async () => {
    clock = T0 + 600 * MIN;
    const [a] = await service.applyTransitions([fire('r3', 'rf1')]);
    const fromOpen = await service.act(a!.id, a!.version, 'sup', { action: 'reopen', note: 'x' });
    expect(fromOpen).toMatchObject({ ok: false, reason: 'transition', current: { id: a!.id, status: 'open', version: a!.version } });
    const acked = await service.act(a!.id, a!.version, 'sup', { action: 'ack' });
    const ackedAlert = (acked as { alert: Alert }).alert;
    expect(await service.act(a!.id, ackedAlert.version, 'sup', { action: 'reopen', note: 'x' })).toMatchObject({ ok: false, reason: 'transition' });
    const dismissed = (await service.act(a!.id, ackedAlert.version, 'sup', { action: 'dismiss', reason: 'duplicate' }) as { alert: Alert }).alert;
    expect(await service.act(a!.id, ackedAlert.version, 'sup', { action: 'reopen', note: 'x' }))
      .toMatchObject({ ok: false, reason: 'version', current: { version: dismissed.version, status: 'dismissed' } });
    // Meanwhile the engine raised a new alert for the key: one active alert per key.
    clock += MIN;
    const [b] = await service.applyTransitions([fire('r3', 'rf2')]);
    expect(b!.id).not.toBe(a!.id);
    const beside = await service.act(a!.id, dismissed.version, 'sup', { action: 'reopen', note: 'x' });
    expect(beside).toMatchObject({ ok: false, reason: 'key-active', current: { id: a!.id, status: 'dismissed' }, active: { id: b!.id } });
    expect((await listAudit(t.db, { target: a!.id, limit: 10 })).map((e) => e.action)).not.toContain('alert.reopen');
    // Once that one is closed, the first reopens.
    await service.act(b!.id, b!.version, 'sup', { action: 'resolve' });
    expect(await service.act(a!.id, dismissed.version, 'sup', { action: 'reopen', note: 'x' })).toMatchObject({ ok: true, alert: { status: 'open' } });
  });

  it('a silenced alert reopens silenced: no escalation timer', async () => {
    clock = T0 + 700 * MIN;
    await createSilence(t.db, { matcher: 'key', value: 'r4', reason: 'exercise', until: new Date(clock + 60 * MIN).toISOString() }, 'sup', new Date(clock));
    const [a] = await service.applyTransitions([fire('r4', 'rs1')]);
    const dismissed = (await service.act(a!.id, a!.version, 'bob', { action: 'dismiss', reason: 'test' }) as { alert: Alert }).alert;
    const r = await service.act(a!.id, dismissed.version, 'bob', { action: 'reopen', note: 'not a test after all' });
    expect(r.ok && r.alert).toMatchObject({ status: 'open', silencedBy: a!.silencedBy, ackDueAt: null });
    expect(a!.silencedBy).not.toBeNull();
  });

  it('an alert whose silence ended reopens unsilenced: back in the queue, its escalation timer running', async () => {
    clock = T0 + 800 * MIN;
    // Held back by a silence "until alert x closes"; closing x ends it.
    const [x] = await service.applyTransitions([fire('r5x', 'rx1', { ruleId: 'held' })]);
    const s = await createSilence(t.db, { matcher: 'rule', value: 'held', reason: 'known', untilAlert: x!.id }, 'sup', new Date(clock));
    const [a] = await service.applyTransitions([fire('r5', 'rh1', { ruleId: 'held' })]);
    expect(a!.silencedBy).toBe(s.id);
    const dismissed = (await service.act(a!.id, a!.version, 'bob', { action: 'dismiss', reason: 'already_handled' }) as { alert: Alert }).alert;
    await service.act(x!.id, x!.version, 'bob', { action: 'resolve' });
    // And one held by a silence for a time that is over.
    await createSilence(t.db, { matcher: 'key', value: 'r6', reason: 'works', until: new Date(clock + 10 * MIN).toISOString() }, 'sup', new Date(clock));
    const [b] = await service.applyTransitions([fire('r6', 'rt1')]);
    expect(b!.silencedBy).not.toBeNull();
    const resolved = (await service.act(b!.id, b!.version, 'bob', { action: 'resolve' }) as { alert: Alert }).alert;
    clock += 20 * MIN;
    const ra = await service.act(a!.id, dismissed.version, 'bob', { action: 'reopen', note: 'still going on' });
    const rb = await service.act(b!.id, resolved.version, 'bob', { action: 'reopen', note: 'started again' });
    for (const r of [ra, rb]) expect(r.ok && r.alert).toMatchObject({ status: 'open', silencedBy: null, ackDueAt: new Date(clock + 2 * MIN).toISOString() });
    clock += 2 * MIN + 1000;
    expect((await service.escalate()).map((e) => e.id)).toEqual(expect.arrayContaining([a!.id, b!.id]));
  });
});
}
