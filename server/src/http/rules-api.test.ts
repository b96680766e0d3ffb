import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '@vigie/rules';
import { listAudit } from '../storage/audit-repo.ts';
import { eventually, login, postEvents, startNode, type Running } from '../testing/harness.ts';

let node: Running;
let url: string;
let sup: Awaited<ReturnType<typeof login>>;
let op: Awaited<ReturnType<typeof login>>;
beforeAll(async () => {
  node = await startNode();
  url = node.url;
  [sup, op] = await Promise.all([login(url, 'supervisor'), login(url, 'operator')]);
});
afterAll(async () => { await node?.stop(); });

const RULE = (title: string, where = '{ type: "citizen.noise" }') => `id: noise\n# who asked for it: the night shift\ntitle: "${title}"\nseverity: medium\nkind: match\nwhere: ${where}\n`;
const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
  const res = await fetch(`${url}/api/v1/rules${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};
const noise = (id: string, time = new Date().toISOString()) => ({ id, source: 'citizen', type: 'citizen.noise', time, location: { lat: 43.2965, lon: 5.3698 } });
const alertsOf = async (ruleId: string) => {
  const res = await fetch(`${url}/api/v1/alerts?limit=100`, { headers: op.headers });
  return ((await res.json()) as { alerts: Alert[] }).alerts.filter((a) => a.ruleId === ruleId);
};

describe('the rules API', () => {
  it('lists the seeded rules with their version and quality to operators, but lets only supervisors edit', async () => {
    const list = await call('GET', '', op.headers);
    expect(list.status).toBe(200);
    expect(list.body.rules.find((r: { id: string }) => r.id === 'assault-injured')).toMatchObject({ version: 1, shadow: false, updatedBy: 'system', quality: null });
    for (const [method, path, body] of [['POST', '/validate', { yaml: RULE('x') }], ['POST', '', { yaml: RULE('x') }], ['PUT', '/noise', { yaml: RULE('x') }],
      ['POST', '/backtest', { yaml: RULE('x'), from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' }], ['POST', '/assault-injured/rollback', { version: 1 }],
      ['POST', '/assault-injured/shadow', { shadow: true }]] as const) {
      const r = await call(method, path, op.headers, body);
      expect([method, path, r.status, r.body.error.code]).toEqual([method, path, 403, 'VIGIE_FORBIDDEN']);
    }
    expect((await call('POST', '', { 'content-type': 'application/json' }, { yaml: RULE('x') })).status).toBe(401);
  });

  it('validates at the line and field, and refuses to publish a rule with errors', async () => {
    const v = await call('POST', '/validate', sup.headers, { yaml: RULE('x').replace('severity: medium', 'severity: loud') });
    expect(v.body).toMatchObject({ ok: false, errors: [{ line: 4, field: 'severity' }] });
    const bad = await call('POST', '', sup.headers, { yaml: RULE('x').replace('kind: match', 'kind: match\nwindoww: 10m') });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VIGIE_RULE_INVALID', details: { errors: [{ line: 6, field: 'windoww' }] } });
    expect((await call('POST', '', sup.headers, { yaml: 42 })).body.error).toMatchObject({ code: 'VIGIE_VALIDATION', message: expect.stringContaining('yaml') });
  });

  it('warns of the zones a valid rule names that the city does not have (it would never fire there), and publishes it all the same', async () => {
    const zones = (await (await fetch(`${url}/api/v1/zones`, { headers: op.headers })).json()) as { zones: { id: string; tags: string[] }[] };
    const known = zones.zones[0]!.id;
    const yaml = RULE('Ailleurs', `{ all: [ { type: "citizen.nowhere" }, { op: inZone, value: ["${known}", "tag:nulle-part"] } ] }`).replace('id: noise', 'id: elsewhere') + 'zones: [quartier-qui-nexiste-pas]\n';
    const v = await call('POST', '/validate', sup.headers, { yaml });
    expect(v.body).toMatchObject({ ok: true, errors: [] });
    expect(v.body.warnings.map((w: { zone: string; reason: unknown }) => [w.zone, w.reason])).toEqual([['quartier-qui-nexiste-pas', { key: 'not_found' }], ['tag:nulle-part', { key: 'not_found' }]]);
    expect(v.body.warnings[1].message).toBe('"tag:nulle-part" names no zone of the city (no zone has this tag): the rule will not fire there');
    const created = await call('POST', '', sup.headers, { yaml });
    expect(created.status).toBe(201);
    expect(created.body.warnings).toHaveLength(2);
    expect((await call('POST', '/validate', sup.headers, { yaml: RULE('x') })).body).toEqual({ ok: true, errors: [], warnings: [] });
  });

  it('creates a rule that applies at once, then publishes a new version with its diff', async () => {
    const created = await call('POST', '', sup.headers, { yaml: RULE('Bruit v1'), comment: 'new rule' });
    expect(created.status).toBe(201);
    expect(created.body.rule).toMatchObject({ id: 'noise', version: 1 });
    expect((await call('POST', '', sup.headers, { yaml: RULE('Bruit v1') })).body.error.code).toBe('VIGIE_RULE_EXISTS');
    await postEvents(url, noise('n1'));
    await eventually(async () => ((await alertsOf('noise')).some((a) => a.title === 'Bruit v1') ? true : undefined));

    expect((await call('PUT', '/noise', sup.headers, { yaml: RULE('Bruit v1') })).body.error.code).toBe('VIGIE_RULE_UNCHANGED');
    const wrongId = await call('PUT', '/assault-injured', sup.headers, { yaml: RULE('Bruit v2') });
    expect(wrongId.body.error).toMatchObject({ code: 'VIGIE_RULE_INVALID', message: expect.stringMatching(/^id:/) });
    const v2 = await call('PUT', '/noise', sup.headers, { yaml: RULE('Bruit v2'), comment: 'clearer title' });
    expect(v2.status).toBe(200);
    expect(v2.body.version).toMatchObject({ version: 2, author: 'supervisor', comment: 'clearer title' });
    expect(v2.body.version.diff).toContain('+title: "Bruit v2"');
    await postEvents(url, noise('n2'));
    await eventually(async () => ((await alertsOf('noise')).some((a) => a.title === 'Bruit v2') ? true : undefined));

    const versions = await call('GET', '/noise/versions', op.headers);
    expect(versions.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect((await call('GET', '/noise/versions/1', op.headers)).body.version.yaml).toBe(RULE('Bruit v1'));
    expect((await call('GET', '/noise/versions/9', op.headers)).status).toBe(404);
    expect((await call('GET', '/noise', op.headers)).body.rule).toMatchObject({ version: 2, yaml: RULE('Bruit v2') });
  });

  it('rolls back to an older version as a new one, audited', async () => {
    const back = await call('POST', '/noise/rollback', sup.headers, { version: 1 });
    expect(back.body.rule).toMatchObject({ version: 3, yaml: RULE('Bruit v1') });
    expect(back.body.version.comment).toBe('rollback to version 1');
    expect((await call('POST', '/noise/rollback', sup.headers, { version: 7 })).status).toBe(404);
    const audit = await listAudit(node.vigie.db, { target: 'noise', limit: 3 });
    expect(audit.map((e) => [e.action, e.actor])).toEqual([['rule.rollback', 'supervisor'], ['rule.publish', 'supervisor'], ['rule.create', 'supervisor']]);
  });

  it("refuses a publish or rollback over another supervisor's version published since the one it started from", async () => {
    // Two supervisors opened version 3; the first publishes version 4.
    const first = await call('PUT', '/noise', sup.headers, { yaml: RULE('Bruit v4'), comment: 'first', baseVersion: 3 });
    expect(first.body.rule).toMatchObject({ version: 4 });
    const second = await call('PUT', '/noise', sup.headers, { yaml: RULE('Bruit v4 bis'), comment: 'second', baseVersion: 3 });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'VIGIE_RULE_CONFLICT', details: { current: { id: 'noise', version: 4, updatedBy: 'supervisor', yaml: RULE('Bruit v4') } } });
    expect((await call('POST', '/noise/rollback', sup.headers, { version: 1, baseVersion: 3 })).body.error.code).toBe('VIGIE_RULE_CONFLICT');
    expect((await call('GET', '/noise', op.headers)).body.rule).toMatchObject({ version: 4, yaml: RULE('Bruit v4') });
    // Having seen it, the second publishes over version 4 (and a client that sends no base is not held back).
    expect((await call('PUT', '/noise', sup.headers, { yaml: RULE('Bruit v4 bis'), comment: 'second', baseVersion: 4 })).body.rule).toMatchObject({ version: 5 });
    expect((await call('PUT', '/noise', sup.headers, { yaml: RULE('Bruit v1'), comment: 'back' })).body.rule).toMatchObject({ version: 6 });
  });

  it('in shadow mode records the alerts without raising them, then goes live', async () => {
    expect((await call('POST', '/noise/shadow', sup.headers, { shadow: true })).body.rule.shadow).toBe(true);
    const before = (await alertsOf('noise')).length;
    await postEvents(url, noise('n-shadow'));
    const shadowed = await eventually(async () => {
      const r = await call('GET', '/noise/shadow-alerts', sup.headers);
      return r.body.alerts.length ? r.body.alerts : undefined;
    });
    expect(shadowed[0]).toMatchObject({ ruleId: 'noise', kind: 'fired', title: 'Bruit v1' });
    expect((await alertsOf('noise')).length).toBe(before);
    const listed = (await call('GET', '', op.headers)).body.rules.find((r: { id: string }) => r.id === 'noise');
    expect(listed).toMatchObject({ shadow: true, quality: { shadowAlerts: 1 } });
    // Without the figures (a console naming rules): the same rule, no quality scan.
    const named = (await call('GET', '?quality=0', op.headers)).body.rules.find((r: { id: string }) => r.id === 'noise');
    expect(named).toMatchObject({ id: 'noise', title: listed.title, shadow: true, quality: null });
    expect((await call('GET', '?quality=maybe', op.headers)).body.error.details.issues[0]).toMatchObject({ field: 'quality' });
    await call('POST', '/noise/shadow', sup.headers, { shadow: false });
    await postEvents(url, noise('n-live'));
    await eventually(async () => ((await alertsOf('noise')).length > before ? true : undefined));
  });

  it('backtests a draft over stored events against the version in force, as JSON or as a stream', async () => {
    const day = Date.now() - 3 * 86_400_000;
    await postEvents(url, [0, 1, 2].map((i) => ({ ...noise(`old-${i}`, new Date(day + i * 3_600_000).toISOString()), severity: i + 2 })));
    const from = new Date(day - 3_600_000).toISOString();
    const to = new Date(day + 86_400_000).toISOString();
    const draft = RULE('Bruit fort', '{ type: "citizen.noise", severity: [3, 4] }');
    const json = await call('POST', '/backtest', sup.headers, { yaml: draft, from, to });
    expect(json.status).toBe(200);
    expect(json.body.result).toMatchObject({ eventsRead: 3, alerts: 2, comparison: { publishedVersion: 6, publishedAlerts: 3, added: 0, removed: 1 } });
    expect(json.body.result.sample[0].title).toBe('Bruit fort');

    const res = await fetch(`${url}/api/v1/rules/backtest?stream=1`, { method: 'POST', headers: sup.headers, body: JSON.stringify({ yaml: draft, from, to }) });
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as { type: string; result?: { alerts: number } });
    expect(lines.at(-1)).toMatchObject({ type: 'result', result: { alerts: 2 } });

    const badPeriod = await call('POST', '/backtest', sup.headers, { yaml: draft, from: to, to: from });
    expect(badPeriod.body.error).toMatchObject({ code: 'VIGIE_VALIDATION', message: 'to: must be after from' });
    const tooLong = await call('POST', '/backtest', sup.headers, { yaml: draft, from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z' });
    expect(tooLong.body.error.message).toMatch(/^to: a backtest covers at most 31 days/);
    const badRule = await call('POST', '/backtest', sup.headers, { yaml: 'id: x\nkind: nope\n', from, to });
    expect(badRule.body.error).toMatchObject({ code: 'VIGIE_RULE_INVALID', details: { errors: [{ line: 2, field: 'kind' }] } });
  });
});
