import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, AlertMessage } from '@vigie/rules';
import { applyTransition } from '../storage/alerts-repo.ts';
import { assault, eventually, liveClient, login, postEvents, startNode, type LiveClient, type Running } from '../testing/harness.ts';

let node: Running;
const clients: LiveClient[] = [];
beforeAll(async () => { node = await startNode(); });
afterAll(async () => {
  for (const c of clients) c.close();
  await node?.stop();
});

const call = async (path: string, init: { method?: string; headers: Record<string, string>; body?: unknown }) => {
  const res = await fetch(`${node.url}/api/v1${path}`, { method: init.method ?? 'GET', headers: init.headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

async function activeAlertWith(headers: Record<string, string>, eventId: string): Promise<Alert> {
  return eventually(async () => {
    const { body } = await call('/alerts?status=open,acknowledged', { headers });
    return (body.alerts as Alert[]).find((a) => a.evidence.some((e) => e.id === eventId));
  });
}

describe('silences API', () => {
  it('is for supervisors; operators get 403', async () => {
    const op = await login(node.url, 'operator');
    expect((await call('/silences', { headers: op.headers })).body.error.code).toBe('VIGIE_FORBIDDEN');
  });

  it('refuses a bad silence naming the field', async () => {
    const sup = await login(node.url, 'supervisor');
    const noEnd = await call('/silences', { method: 'POST', headers: sup.headers, body: { matcher: 'rule', value: 'x', reason: 'r' } });
    expect(noEnd).toMatchObject({ status: 400, body: { error: { code: 'VIGIE_VALIDATION', details: { issues: [{ field: 'until' }] } } } });
    const badMatcher = await call('/silences', { method: 'POST', headers: sup.headers, body: { matcher: 'city', value: 'x', reason: 'r', until: '2099-01-01T00:00:00Z' } });
    expect(badMatcher.body.error.details.issues[0].field).toBe('matcher');
    const past = await call('/silences', { method: 'POST', headers: sup.headers, body: { matcher: 'rule', value: 'x', reason: 'r', until: '2001-01-01T00:00:00Z' } });
    expect(past).toMatchObject({ status: 400, body: { error: { details: { issues: [{ field: 'until' }] } } } });
    const noAlert = await call('/silences', { method: 'POST', headers: sup.headers, body: { matcher: 'rule', value: 'x', reason: 'r', untilAlert: 'nope' } });
    expect(noAlert.body.error.details.issues[0].field).toBe('untilAlert');
    const far = await call('/silences', { method: 'POST', headers: sup.headers, body: { matcher: 'rule', value: 'x', reason: 'r', until: '2999-01-01T00:00:00Z' } });
    expect(far.body.error.details.issues[0]).toMatchObject({ field: 'until', reason: { key: 'hours_ahead', limit: 720 } });
  });

  it('refuses a silence until an alert that is closed already: it would never end', async () => {
    const sup = await login(node.url, 'supervisor');
    await postEvents(node.url, assault('closed-1'));
    const a = await activeAlertWith(sup.headers, 'closed-1');
    expect((await call(`/alerts/${a.id}/resolve`, { method: 'POST', headers: sup.headers, body: { version: a.version } })).status).toBe(200);
    const silence = await call('/silences', { method: 'POST', headers: sup.headers, body: { matcher: 'rule', value: 'assault-injured', reason: 'r', untilAlert: a.id } });
    expect(silence).toMatchObject({ status: 400, body: { error: { code: 'VIGIE_VALIDATION', details: { issues: [{ field: 'untilAlert', message: 'resolved already', reason: { key: 'closed' } }] } } } });
    expect((await call('/silences', { headers: sup.headers })).body.silences).toEqual([]);
  });

  it('a silenced rule still stores its alerts, marked; ending it lets alerts through again; all of it audited', async () => {
    const sup = await login(node.url, 'supervisor');
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const created = await call('/silences', { method: 'POST', headers: sup.headers, body: { matcher: 'rule', value: 'assault-injured', reason: 'exercise in the port', until } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ matcher: 'rule', value: 'assault-injured', until, createdBy: 'supervisor', endedAt: null });
    expect((await call('/silences', { headers: sup.headers })).body.silences.map((s: { id: string }) => s.id)).toContain(created.body.id);

    await postEvents(node.url, assault('silenced-1'));
    const held = await activeAlertWith(sup.headers, 'silenced-1');
    expect(held).toMatchObject({ silencedBy: created.body.id, ackDueAt: null });

    const ended = await call(`/silences/${created.body.id}`, { method: 'DELETE', headers: sup.headers });
    expect(ended.body).toMatchObject({ endedBy: 'supervisor' });
    expect((await call(`/silences/${created.body.id}`, { method: 'DELETE', headers: sup.headers })).status).toBe(404);
    expect((await call('/silences', { headers: sup.headers })).body.silences).toEqual([]);
    expect((await call('/silences?all=1', { headers: sup.headers })).body.silences).toHaveLength(1);

    await postEvents(node.url, assault('after-silence'));
    const free = await activeAlertWith(sup.headers, 'after-silence');
    expect(free.silencedBy).toBeNull();
    expect(free.ackDueAt).not.toBeNull();

    const audit = await call('/audit?action=silence.*', { headers: sup.headers });
    expect(audit.body.entries.map((e: { action: string }) => e.action)).toEqual(['silence.end', 'silence.create']);
    expect(audit.body.entries[1]).toMatchObject({ actor: 'supervisor', target: created.body.id, details: { reason: 'exercise in the port' } });
  });

  it('refuses a silence that would silence nothing (a mistyped rule or zone) or last more than 30 days', async () => {
    const sup = await login(node.url, 'supervisor');
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const typo = await call('/silences', { method: 'POST', headers: sup.headers, body: { matcher: 'rule', value: 'assault-injurd', reason: 'match', until } });
    expect(typo).toMatchObject({ status: 400, body: { error: { code: 'VIGIE_VALIDATION', details: { issues: [{ field: 'value', message: 'no rule assault-injurd' }] } } } });
    const nowhere = await call('/silences', { method: 'POST', headers: sup.headers, body: { matcher: 'zone', value: 'nulle-part', reason: 'match', until } });
    expect(nowhere).toMatchObject({ status: 400, body: { error: { details: { issues: [{ field: 'value', message: 'no zone nulle-part' }] } } } });
    const tooLong = await call('/silences', { method: 'POST', headers: sup.headers, body: { matcher: 'rule', value: 'assault-injured', reason: 'match', until: new Date(Date.now() + 10_000 * 3_600_000).toISOString() } });
    expect(tooLong).toMatchObject({ status: 400, body: { error: { details: { issues: [{ field: 'until' }] } } } });
    const zones = (await call('/zones', { headers: sup.headers })).body.zones as { id: string }[];
    expect(zones.length).toBeGreaterThan(0);
    const zone = await call('/silences', { method: 'POST', headers: sup.headers, body: { matcher: 'zone', value: zones[0]!.id, reason: 'match', until } });
    expect(zone.status).toBe(201);
    expect((await call(`/silences/${zone.body.id}`, { method: 'DELETE', headers: sup.headers })).status).toBe(200);
  });
});

describe('audit API', () => {
  it('lists every alert action, newest first, paged; operators may not read it', async () => {
    const op = await login(node.url, 'operator');
    const sup = await login(node.url, 'supervisor');
    expect((await call('/audit', { headers: op.headers })).status).toBe(403);
    await postEvents(node.url, assault('audited-1'));
    const a = await activeAlertWith(op.headers, 'audited-1');
    const acked = await call(`/alerts/${a.id}/ack`, { method: 'POST', headers: op.headers, body: { version: a.version } });
    await call(`/alerts/${a.id}/comment`, { method: 'POST', headers: op.headers, body: { version: acked.body.version, text: 'on my way' } });
    const page1 = await call(`/audit?target=${a.id}&limit=1`, { headers: sup.headers });
    expect(page1.body.entries).toMatchObject([{ actor: 'operator', action: 'alert.comment', details: { text: 'on my way' } }]);
    const page2 = await call(`/audit?target=${a.id}&limit=1&before=${page1.body.next}`, { headers: sup.headers });
    expect(page2.body.entries).toMatchObject([{ action: 'alert.ack', details: { version: a.version } }]);
    expect((await call('/audit?limit=0', { headers: sup.headers })).body.error.details.issues[0].field).toBe('limit');
  });

  it('a stale version gets 409 with the current alert', async () => {
    const op = await login(node.url, 'operator');
    await postEvents(node.url, assault('stale-1'));
    const a = await activeAlertWith(op.headers, 'stale-1');
    await call(`/alerts/${a.id}/assign`, { method: 'POST', headers: op.headers, body: { version: a.version, assignee: 'équipe VTT 2' } });
    const stale = await call(`/alerts/${a.id}/ack`, { method: 'POST', headers: op.headers, body: { version: a.version } });
    expect(stale).toMatchObject({ status: 409, body: { error: { code: 'VIGIE_ALERT_VERSION_CONFLICT', details: { current: { assignee: 'équipe VTT 2', version: a.version + 1 } } } } });
  });

  it('a blank comment or assignee is refused, naming the field; a comment is kept trimmed', async () => {
    const op = await login(node.url, 'operator');
    await postEvents(node.url, assault('blank-1'));
    const a = await activeAlertWith(op.headers, 'blank-1');
    const comment = await call(`/alerts/${a.id}/comment`, { method: 'POST', headers: op.headers, body: { version: a.version, text: '   ' } });
    expect(comment).toMatchObject({ status: 400, body: { error: { code: 'VIGIE_VALIDATION', details: { issues: [{ field: 'text', reason: { key: 'too_short', limit: 1 } }] } } } });
    const assign = await call(`/alerts/${a.id}/assign`, { method: 'POST', headers: op.headers, body: { version: a.version, assignee: ' \t ' } });
    expect(assign).toMatchObject({ status: 400, body: { error: { details: { issues: [{ field: 'assignee' }] } } } });
    const kept = await call(`/alerts/${a.id}/comment`, { method: 'POST', headers: op.headers, body: { version: a.version, text: '  on my way \n' } });
    expect(kept.status).toBe(200);
    expect(kept.body.history.at(-1)).toMatchObject({ action: 'comment', note: 'on my way' });
  });
});

describe('live fan-out', () => {
  it('batches: 30 alerts posted at once reach a client in a few frames, each once, with seq and version', async () => {
    const { cookie } = await login(node.url, 'operator');
    const c = await liveClient(node.url, { cookie });
    clients.push(c);
    const frames: AlertMessage[][] = [];
    c.on('alert:new', (ms) => frames.push(ms));
    const ids = Array.from({ length: 30 }, (_, i) => `burst-${i}`);
    expect((await postEvents(node.url, ids.map((id) => assault(id)))).status).toBe(202);
    // One alert per assault (assault-injured); rules over several events (a cluster of them with earlier tests') may add theirs.
    const each = () => frames.flat().filter((m) => m.alert.ruleId === 'assault-injured');
    await eventually(() => (each().length >= 30 ? true : undefined), 10_000);
    await new Promise((r) => setTimeout(r, 200));
    const got = each().map((m) => m.alert.evidence[0]!.id).sort();
    expect(got).toEqual([...ids].sort());
    expect(frames.length).toBeLessThan(10);
    for (const m of frames.flat()) expect(m).toMatchObject({ seq: m.alert.seq, version: m.alert.version });
  });
});

describe('reopen API', () => {
  it('reopens a dismissed alert with a reason, pushed live to a console; refuses a missing note, an open alert and a stale version', async () => {
    const op = await login(node.url, 'operator');
    const c = await liveClient(node.url, { cookie: op.cookie });
    clients.push(c);
    const updates: AlertMessage[] = [];
    c.on('alert:update', (ms) => updates.push(...ms));
    await postEvents(node.url, assault('reopen-1'));
    const a = await activeAlertWith(op.headers, 'reopen-1');
    const fromOpen = await call(`/alerts/${a.id}/reopen`, { method: 'POST', headers: op.headers, body: { version: a.version, note: 'why' } });
    expect(fromOpen).toMatchObject({ status: 409, body: { error: { code: 'VIGIE_ALERT_TRANSITION', details: { current: { id: a.id, status: 'open' } } } } });
    const dismissed = await call(`/alerts/${a.id}/dismiss`, { method: 'POST', headers: op.headers, body: { version: a.version, reason: 'test' } });
    expect(dismissed.body.status).toBe('dismissed');
    for (const body of [{ version: dismissed.body.version }, { version: dismissed.body.version, note: '   ' }]) {
      const bad = await call(`/alerts/${a.id}/reopen`, { method: 'POST', headers: op.headers, body });
      expect(bad).toMatchObject({ status: 400, body: { error: { code: 'VIGIE_VALIDATION', details: { issues: [{ field: 'note' }] } } } });
    }
    const stale = await call(`/alerts/${a.id}/reopen`, { method: 'POST', headers: op.headers, body: { version: a.version, note: 'why' } });
    expect(stale).toMatchObject({ status: 409, body: { error: { code: 'VIGIE_ALERT_VERSION_CONFLICT', details: { current: { status: 'dismissed' } } } } });

    const reopened = await call(`/alerts/${a.id}/reopen`, { method: 'POST', headers: op.headers, body: { version: dismissed.body.version, note: ' not a test: the caller rang again ' } });
    expect(reopened).toMatchObject({ status: 200, body: { id: a.id, status: 'open', version: dismissed.body.version + 1 } });
    expect(reopened.body.seq).toBeGreaterThan(dismissed.body.seq);
    expect(reopened.body.ackDueAt).not.toBeNull();
    expect(reopened.body.history.at(-1)).toMatchObject({ by: 'operator', action: 'reopen', note: 'not a test: the caller rang again' });
    const pushed = await eventually(() => updates.find((m) => m.alert.id === a.id && m.alert.status === 'open' && m.version === reopened.body.version));
    expect(pushed.seq).toBe(reopened.body.seq);
    expect((await call('/alerts?status=open', { headers: op.headers })).body.alerts.map((x: Alert) => x.id)).toContain(a.id);

    const sup = await login(node.url, 'supervisor');
    const audit = await call(`/audit?target=${a.id}&action=alert.reopen`, { headers: sup.headers });
    expect(audit.body.entries).toMatchObject([{ actor: 'operator', action: 'alert.reopen', details: { note: 'not a test: the caller rang again' } }]);
  });

  it('an action that does not exist is 404 naming the actions, also for the names every object has (toString, constructor…)', async () => {
    const op = await login(node.url, 'operator');
    await postEvents(node.url, assault('no-such-action-1'));
    const a = await activeAlertWith(op.headers, 'no-such-action-1');
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', 'undo']) {
      const r = await call(`/alerts/${a.id}/${name}`, { method: 'POST', headers: op.headers, body: { version: a.version } });
      expect(r, name).toMatchObject({ status: 404, body: { error: { code: 'VIGIE_NOT_FOUND' } } });
      expect(r.body.error.message).toContain('ack, assign, comment, resolve, dismiss, reopen');
    }
    expect((await call(`/alerts/${a.id}`, { headers: op.headers })).body).toMatchObject({ status: 'open', version: a.version });
  });

  it('refuses to reopen beside a newer active alert of the same rule and key, naming it', async () => {
    const op = await login(node.url, 'operator');
    await postEvents(node.url, assault('reopen-key-1'));
    const a = await activeAlertWith(op.headers, 'reopen-key-1');
    const dismissed = await call(`/alerts/${a.id}/dismiss`, { method: 'POST', headers: op.headers, body: { version: a.version, reason: 'duplicate' } });
    // The engine fires the same rule and key again meanwhile: a new alert.
    const b = (await applyTransition(node.db.db, {
      kind: 'fired', ruleId: a.ruleId, ruleVersion: 1, key: a.key, at: Date.now(), severity: a.severity, title: a.title, actions: [],
      location: a.location ?? undefined, zones: a.zones, count: 1, explanation: a.explanation, evidence: [{ ...a.evidence[0]!, id: 'reopen-key-2' }],
    }, new Date()))!.alert;
    expect(b.id).not.toBe(a.id);
    const beside = await call(`/alerts/${a.id}/reopen`, { method: 'POST', headers: op.headers, body: { version: dismissed.body.version, note: 'why' } });
    expect(beside).toMatchObject({ status: 409, body: { error: { code: 'VIGIE_ALERT_KEY_ACTIVE', details: { current: { id: a.id, status: 'dismissed' }, active: { id: b.id } } } } });
  });
});
