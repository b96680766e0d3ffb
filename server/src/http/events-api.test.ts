import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, StoredEvent } from '@vigie/rules';
import { hashToken } from '../auth/tokens.ts';
import { upsertTemporaryZones } from '../feeds/cap/temporary-zones.ts';
import { upsertFeedToken } from '../storage/accounts-repo.ts';
import { assault, eventually, FEED, login, postEvents, startNode, type Running } from '../testing/harness.ts';

let node: Running;
let url: string;
beforeAll(async () => { node = await startNode(); url = node.url; });
afterAll(async () => { await node?.stop(); });

const ev = (id: string, extra: Record<string, unknown> = {}) => ({ id, source: 'csu', type: 'incident.theft', time: '2026-11-28T21:14:05+01:00', ...extra });

async function storedIds(source = 'csu'): Promise<string[]> {
  const op = await login(url, 'operator');
  const res = await fetch(`${url}/api/v1/events?source=${source}&limit=1000`, { headers: op.headers });
  return ((await res.json()) as { events: StoredEvent[] }).events.map((e) => e.id);
}

describe('POST /api/v1/events', () => {
  it('takes one event and stores it pseudonymised', async () => {
    const r = await postEvents(url, ev('one', { text: 'Témoin joignable au 06 12 34 56 78', attributes: { plate: 'AB-123-CD' } }));
    expect(r).toEqual({ status: 202, body: { accepted: 1, duplicates: 0, rejected: [] } });
    const op = await login(url, 'operator');
    const { events } = (await (await fetch(`${url}/api/v1/events?source=csu&type=incident.*`, { headers: op.headers })).json()) as { events: StoredEvent[] };
    const stored = events.find((e) => e.id === 'one')!;
    expect(stored.text).toBe('Témoin joignable au [phone]');
    expect(stored.attributes!.plate).toMatch(/^ps:demo:/);
    expect(stored.receivedAt).toBeTruthy();
  });

  it('keeps the valid items of a batch and says why each other was rejected', async () => {
    const r = await postEvents(url, [
      ev('b1'),
      { source: 'csu', type: 'incident.theft', time: '2026-11-28T21:14:05+01:00' },
      ev('b3', { severity: 9 }),
      ev('b4', { time: 'yesterday' }),
      ev('b5', { location: { lat: 'north', lon: 5 } }),
      ev('b6', { extra: true }),
      'not an event',
      ev('b8'),
    ]);
    expect(r.status).toBe(202);
    expect(r.body.accepted).toBe(2);
    const rejected = r.body.rejected as { index: number; error: { code: string; field: string } }[];
    expect(rejected.map((x) => [x.index, x.error.code, x.error.field])).toEqual([
      [1, 'VIGIE_VALIDATION', 'id'],
      [2, 'VIGIE_VALIDATION', 'severity'],
      [3, 'VIGIE_VALIDATION', 'time'],
      [4, 'VIGIE_VALIDATION', 'location.lat'],
      [5, 'VIGIE_VALIDATION', 'extra'],
      [6, 'VIGIE_VALIDATION', ''],
    ]);
    expect(await storedIds()).toEqual(expect.arrayContaining(['b1', 'b8']));
  });

  it('keeps the refused items as a dead letter an admin can read and replay (nothing valid is in it)', async () => {
    const r = await postEvents(url, [ev('dl-1'), ev('dl-2', { severity: 9 }), ev('dl-3')]);
    expect(r.body).toMatchObject({ accepted: 2, rejected: [{ index: 1 }] });
    const admin = await login(url, 'admin');
    const { deadLetters } = (await (await fetch(`${url}/api/v1/feeds/dead-letters?source=csu`, { headers: admin.headers })).json()) as { deadLetters: { id: number; format: string; rejected: { index: number; error: { field: string } }[] }[] };
    const letter = deadLetters.find((d) => d.format === 'events')!;
    expect(letter.rejected).toEqual([{ index: 0, error: expect.objectContaining({ field: 'severity' }) }]);
    const shown = (await (await fetch(`${url}/api/v1/feeds/dead-letters/${letter.id}`, { headers: admin.headers })).json()) as { payload: { text: string } };
    expect(JSON.parse(shown.payload.text)).toEqual([ev('dl-2', { severity: 9 })]);
    const replay = await fetch(`${url}/api/v1/feeds/dead-letters/${letter.id}/replay`, { method: 'POST', headers: { ...admin.headers, 'content-type': 'application/json' }, body: '{}' });
    expect(replay.status).toBe(400); // still refused: nothing was fixed
    expect(((await replay.json()) as { error: { details: { rejected: { error: { field: string } }[] } } }).error.details.rejected[0]!.error.field).toBe('severity');
  });

  it('answers 400 when nothing is valid', async () => {
    const r = await postEvents(url, [{ id: 'x' }, { id: 'y', source: 'BAD SOURCE' }]);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'VIGIE_EVENT_INVALID', details: { accepted: 0, rejected: [{ index: 0 }, { index: 1 }] } });
  });

  it('refuses a time before 1970 or more than a year ahead, and stores a planned one within it', async () => {
    const ahead = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
    const r = await postEvents(url, [ev('far-1', { time: '9999-12-31T23:59:59Z' }), ev('far-2', { time: '0001-01-01T00:00:00Z' }), ev('far-3', { time: ahead(300) })]);
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ accepted: 1, rejected: [
      { index: 0, error: { code: 'VIGIE_VALIDATION', field: 'time', message: 'time: more than 366 days ahead of now', reason: { key: 'time_range', limit: 366 } } },
      { index: 1, error: { field: 'time', message: 'time: before 1970' } },
    ] });
    expect(await storedIds()).toContain('far-3');
  });

  it('refuses a member a location does not have (an altitude would be lost unsaid), naming it', async () => {
    const r = await postEvents(url, [ev('alt-1', { location: { lat: 43.3, lon: 5.4, alt: 12 } }), ev('alt-2', { location: { lat: 43.3, lon: 5.4 } })]);
    expect(r.body).toMatchObject({ accepted: 1, rejected: [{ index: 0, error: { field: 'location.alt', reason: { key: 'unknown_field' } } }] });
  });

  it('refuses malformed JSON, other content types, and bodies that are not events', async () => {
    const bad = await postEvents(url, '{"id": "x",');
    expect(bad.status).toBe(400);
    expect((bad.body.error as { code: string }).code).toBe('VIGIE_BAD_JSON');
    const text = await postEvents(url, 'id=x', { authorization: FEED.authorization, 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect((text.body.error as { code: string }).code).toBe('VIGIE_BAD_CONTENT_TYPE');
    // A Latin-1 "é" (0xE9) is no UTF-8: refused, not stored as "�".
    const latin1 = await fetch(`${url}/api/v1/events`, { method: 'POST', headers: FEED, body: Buffer.from(JSON.stringify(ev('latin-1', { text: 'Métro' })), 'latin1') });
    expect(latin1.status).toBe(400);
    expect(await latin1.json()).toMatchObject({ error: { code: 'VIGIE_BAD_JSON', message: expect.stringMatching(/not UTF-8/) } });
    expect(await storedIds()).not.toContain('latin-1');
    const utf16 = await fetch(`${url}/api/v1/events`, { method: 'POST', headers: { ...FEED, 'content-type': 'application/json; charset=utf-16' }, body: JSON.stringify(ev('utf-16')) });
    expect([utf16.status, ((await utf16.json()) as { error: { code: string } }).error.code]).toEqual([415, 'VIGIE_BAD_CONTENT_TYPE']);
    for (const body of ['42', '"x"', 'null', '[]']) {
      const r = await postEvents(url, body);
      expect(r.status).toBe(400);
      expect((r.body.error as { code: string }).code).toBe('VIGIE_VALIDATION');
    }
  });

  it('refuses a batch over 1000 items or over 1 MiB with 413, storing nothing of it', async () => {
    const many = await postEvents(url, Array.from({ length: 1001 }, (_, i) => ev(`many-${i}`)));
    expect(many.status).toBe(413);
    expect((many.body.error as { code: string }).code).toBe('VIGIE_BATCH_TOO_LARGE');
    const big = await postEvents(url, Array.from({ length: 200 }, (_, i) => ev(`big-${i}`, { text: 'x'.repeat(6000) })));
    expect(big.status).toBe(413);
    expect((await storedIds()).some((id) => id.startsWith('many-') || id.startsWith('big-'))).toBe(false);
    const full = await postEvents(url, Array.from({ length: 1000 }, (_, i) => ev(`full-${i}`)));
    expect(full.body).toMatchObject({ accepted: 1000 });
  });

  it('needs a valid feed token (or a supervisor session with its CSRF token)', async () => {
    const none = await postEvents(url, ev('t1'), { 'content-type': 'application/json' });
    expect(none.status).toBe(401);
    expect((none.body.error as { code: string }).code).toBe('VIGIE_TOKEN_INVALID');
    const wrong = await postEvents(url, ev('t1'), { ...FEED, authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    const op = await login(url, 'operator');
    expect((await postEvents(url, ev('t1'), op.headers)).status).toBe(403);
    const sup = await login(url, 'supervisor');
    const noCsrf = await postEvents(url, ev('t1'), { cookie: sup.cookie, 'content-type': 'application/json' });
    expect((noCsrf.body.error as { code: string }).code).toBe('VIGIE_CSRF');
    expect((await postEvents(url, ev('t1'), sup.headers)).status).toBe(202);
  });

  it('counts a duplicate once and reports a conflicting one', async () => {
    await postEvents(url, ev('d1'));
    // same body with keys in another order: still a duplicate
    const { time, type, id, source } = ev('d1');
    const dup = await postEvents(url, [{ time, type, source, id }, ev('d2')]);
    expect(dup.body).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
    const conflict = await postEvents(url, [ev('d1', { severity: 5 }), ev('d3')]);
    expect(conflict.status).toBe(202);
    expect(conflict.body.rejected).toEqual([{ index: 0, error: expect.objectContaining({ code: 'VIGIE_EVENT_CONFLICT', field: 'id' }) }]);
    const alone = await postEvents(url, ev('d1', { severity: 5 }));
    expect(alone.status).toBe(409);
    const inBatch = await postEvents(url, [ev('d4'), ev('d4'), ev('d4', { severity: 2 })]);
    expect(inBatch.body).toMatchObject({ accepted: 1, duplicates: 1, rejected: [{ index: 2 }] });
  });
});

describe('a batch of which nothing is stored', () => {
  const ingest = async (body: unknown, headers: Record<string, string>) => {
    const res = await fetch(`${url}/api/v1/ingest/events`, { method: 'POST', headers, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const answer = (r: { status: number; body: Record<string, unknown> }) => [r.status, (r.body.error as { code?: string } | undefined)?.code];

  it('gets the same status and code from POST /api/v1/events and POST /api/v1/ingest/events', async () => {
    const onlyCsu = 'csu-only-feed-token';
    await upsertFeedToken(node.db.db, hashToken(onlyCsu), 'csu only', ['csu']);
    const restricted = { authorization: `Bearer ${onlyCsu}`, 'content-type': 'application/json' };
    expect((await postEvents(url, [ev('same-1'), ev('same-2')])).status).toBe(202);
    const cases: { name: string; batch: unknown[]; headers?: Record<string, string>; expected: [number, string] }[] = [
      { name: 'every item invalid', batch: [{ id: 'x' }, ev('bad-sev', { severity: 9 })], expected: [400, 'VIGIE_EVENT_INVALID'] },
      { name: 'every item a conflict', batch: [ev('same-1', { severity: 5 }), ev('same-2', { severity: 5 })], expected: [409, 'VIGIE_EVENT_CONFLICT'] },
      { name: 'a conflict beside an invalid item', batch: [ev('same-1', { severity: 5 }), { id: 'x' }], expected: [400, 'VIGIE_EVENT_INVALID'] },
      { name: 'every item for a source the token may not send for', batch: [ev('other-1', { source: 'rtm' }), ev('other-2', { source: 'rtm' })], headers: restricted, expected: [403, 'VIGIE_TOKEN_FORBIDDEN'] },
      { name: 'a forbidden source beside an invalid item', batch: [ev('other-3', { source: 'rtm' }), { id: 'x', source: 'csu' }], headers: restricted, expected: [400, 'VIGIE_EVENT_INVALID'] },
    ];
    for (const c of cases) {
      const viaEvents = await postEvents(url, c.batch, c.headers ?? FEED);
      const viaIngest = await ingest(c.batch, c.headers ?? FEED);
      expect(answer(viaEvents), `${c.name}: /events`).toEqual(c.expected);
      expect(answer(viaIngest), `${c.name}: /ingest/events`).toEqual(c.expected);
      for (const r of [viaEvents, viaIngest]) {
        expect((r.body.error as { details: unknown }).details, c.name).toMatchObject({ accepted: 0, duplicates: 0, rejected: c.batch.map((_, index) => ({ index })) });
      }
    }
  });
});

describe('alerts', () => {
  it('an event that matches a rule raises one alert; its duplicate raises none', async () => {
    const op = await login(url, 'operator');
    const before = (await (await fetch(`${url}/api/v1/alerts?status=open`, { headers: op.headers })).json()) as { alerts: Alert[] };
    await postEvents(url, assault('a1'));
    await postEvents(url, assault('a1'));
    const alert = await eventually(async () => {
      const { alerts } = (await (await fetch(`${url}/api/v1/alerts?status=open`, { headers: op.headers })).json()) as { alerts: Alert[] };
      return alerts.find((a) => a.ruleId === 'assault-injured' && a.evidence.some((e) => e.id === 'a1'));
    });
    await node.vigie.engine.drain();
    const after = (await (await fetch(`${url}/api/v1/alerts?status=open`, { headers: op.headers })).json()) as { alerts: Alert[] };
    expect(after.alerts.length).toBe(before.alerts.length + 1);
    expect(alert).toMatchObject({ severity: 'high', status: 'open', version: 1, count: 1 });
    expect(alert.zones.length).toBe(1);
    expect(alert.explanation.conditions.length).toBeGreaterThan(0);
  });

  it('operators act with the version; a stale version gets 409 with the current alert', async () => {
    await postEvents(url, assault('a2'));
    const op = await login(url, 'operator');
    const a = await eventually(async () => {
      const { alerts } = (await (await fetch(`${url}/api/v1/alerts`, { headers: op.headers })).json()) as { alerts: Alert[] };
      return alerts.find((x) => x.evidence.some((e) => e.id === 'a2'));
    });
    const act = (action: string, body: unknown) => fetch(`${url}/api/v1/alerts/${a.id}/${action}`, { method: 'POST', headers: op.headers, body: JSON.stringify(body) });
    const ack = await act('ack', { version: a.version });
    expect(ack.status).toBe(200);
    expect(await ack.json()).toMatchObject({ status: 'acknowledged', version: a.version + 1, assignee: 'operator' });
    const stale = await act('resolve', { version: a.version });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ error: { code: 'VIGIE_ALERT_VERSION_CONFLICT', details: { current: { version: a.version + 1 } } } });
    const badReason = await act('dismiss', { version: a.version + 1, reason: 'bored' });
    expect(badReason.status).toBe(400);
    expect(await badReason.json()).toMatchObject({ error: { code: 'VIGIE_VALIDATION', details: { issues: [{ field: 'reason' }] } } });
    expect((await act('dismiss', { version: a.version + 1, reason: 'false_positive', note: 'exercise' })).status).toBe(200);
    expect((await act('fly', { version: 1 })).status).toBe(404);
    const noCsrf = await fetch(`${url}/api/v1/alerts/${a.id}/comment`, { method: 'POST', headers: { cookie: op.cookie, 'content-type': 'application/json' }, body: JSON.stringify({ version: 3, text: 'x' }) });
    expect(noCsrf.status).toBe(403);
  });

  it('after ten failed sign-ins, says how long to wait (Retry-After, and in the error\'s details)', async () => {
    const attempt = () => fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'nobody-here', password: 'wrong' }) });
    for (let i = 0; i < 10; i++) expect((await attempt()).status).toBe(401);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    const wait = Number(limited.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(250);
    expect(wait).toBeLessThanOrEqual(300);
    expect(await limited.json()).toMatchObject({ error: { code: 'VIGIE_RATE_LIMITED', message: expect.stringMatching(/try again in 5 min/), details: { retryAfterSeconds: wait } } });
  });

  it('roles: signed-out requests get 401, the wall role cannot read the API', async () => {
    expect((await fetch(`${url}/api/v1/alerts`)).status).toBe(401);
    expect((await fetch(`${url}/api/v1/zones`)).status).toBe(401);
    const bad = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'operator', password: 'wrong' }) });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ error: { code: 'VIGIE_AUTH_INVALID' } });
    const op = await login(url, 'operator');
    expect((await fetch(`${url}/api/v1/rules/validate`, { method: 'POST', headers: op.headers, body: '{"yaml":""}' })).status).toBe(403);
  });
});

describe('the rest of the API', () => {
  it('serves zones, places, config, feeds, health, metrics and OpenAPI', async () => {
    const op = await login(url, 'operator');
    const { zones } = (await (await fetch(`${url}/api/v1/zones`, { headers: op.headers })).json()) as { zones: unknown[] };
    expect(zones.length).toBeGreaterThan(20);
    const { places } = (await (await fetch(`${url}/api/v1/places`, { headers: op.headers })).json()) as { places: { name: string }[] };
    expect(places.map((p) => p.name)).toContain('Stade Vélodrome');
    expect(await (await fetch(`${url}/api/v1/config`)).json()).toMatchObject({ city: { name: 'Marseille' }, tileUrl: '' });
    const { feeds } = (await (await fetch(`${url}/api/v1/feeds`, { headers: op.headers })).json()) as { feeds: { source: string; status: string }[] };
    expect(feeds.find((f) => f.source === 'csu')).toMatchObject({ status: 'ok' });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^vigie_events_accepted_total \d+$/m);
    const doc = (await (await fetch(`${url}/api/v1/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/v1/events');
    expect((await fetch(`${url}/api/v1/nothing`, { headers: op.headers })).status).toBe(404);
  });

  it('says in OpenAPI which reads need no credentials, as the server answers them without', async () => {
    type Operation = { security?: unknown[] };
    const doc = (await (await fetch(`${url}/api/v1/openapi.json`)).json()) as { security: unknown[]; paths: Record<string, Record<string, Operation>> };
    const reads = Object.entries(doc.paths).filter(([path, ops]) => !path.includes('{') && ops.get);
    expect(reads.length).toBeGreaterThan(20);
    for (const [path, ops] of reads) {
      const open = (ops.get!.security ?? doc.security).length === 0;
      const status = (await fetch(`${url}${path}`)).status;
      if (open) expect(status, path).not.toBe(401);
      else expect(status, path).toBe(401);
    }
    for (const path of ['/api/v1/users', '/api/v1/feed-tokens', '/api/v1/display-tokens']) expect(doc.paths[path]?.get, path).toBeDefined();
  });

  it('describes the console\'s config, a zone import\'s parameters and one Open311 request in OpenAPI, as they answer', async () => {
    type Operation = { parameters?: { name: string; required?: boolean }[] };
    const doc = (await (await fetch(`${url}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation>> };
    expect(doc.paths['/api/v1/config']?.get).toBeDefined();
    expect(doc.paths['/open311/v2/requests/{id}.json']?.get).toBeDefined();
    // Each {name} of a path is declared as a path parameter (OpenAPI 3.1 requires it), for every operation.
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Operation & { in?: string }> & { parameters?: { name: string; in: string }[] }>)) {
      for (const [, name] of path.matchAll(/\{([^}/]+)\}/g)) {
        for (const [verb, op] of Object.entries(item).filter(([k]) => ['get', 'put', 'post', 'patch', 'delete'].includes(k))) {
          const declared = [...((item.parameters as { name: string; in: string }[] | undefined) ?? []), ...((op as { parameters?: { name: string; in: string }[] }).parameters ?? [])];
          expect(declared.some((p) => p.in === 'path' && p.name === name), `${verb} ${path}: ${name}`).toBe(true);
        }
      }
    }
    expect(doc.paths['/api/v1/zones/import']!.post!.parameters!.map((p) => [p.name, p.required ?? false])).toEqual([['kind', true], ['idProperty', false], ['nameProperty', false], ['tags', false]]);
    expect(JSON.stringify(doc.paths['/api/v1/zones/import']!.post)).toContain('#/components/schemas/ZoneImportResult');
    const config = await fetch(`${url}/api/v1/config`); // no session: the console reads it before signing in
    expect(config.status).toBe(200);
    expect(Object.keys((await config.json()) as object).sort()).toEqual(['city', 'demo', 'tileAttribution', 'tileUrl', 'timeZone']);
    const noKind = await fetch(`${url}/api/v1/zones/import`, { method: 'POST', headers: (await login(url, 'supervisor')).headers, body: JSON.stringify({ type: 'FeatureCollection', features: [] }) });
    expect(noKind.status).toBe(400);
    expect(await noKind.json()).toMatchObject({ error: { code: 'VIGIE_VALIDATION', details: { issues: [{ field: 'kind' }] } } });
    const unknown = await fetch(`${url}/open311/v2/requests/no-such-request.json`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual([{ code: 404, description: expect.stringMatching(/^VIGIE_NOT_FOUND: /) }]);
  });

  it('validates a rule at the line and field', async () => {
    const sup = await login(url, 'supervisor');
    const res = await fetch(`${url}/api/v1/rules/validate`, { method: 'POST', headers: sup.headers, body: JSON.stringify({ yaml: 'id: x\ntitle: X\nseverity: loud\nkind: match\n' }) });
    expect(await res.json()).toEqual({ ok: false, errors: [expect.objectContaining({ line: 3, field: 'severity' })], warnings: [] });
    const rules = (await (await fetch(`${url}/api/v1/rules`, { headers: sup.headers })).json()) as { rules: { id: string }[]; errors: unknown[] };
    expect(rules.rules.map((r) => r.id)).toContain('incident-cluster');
    expect(rules.errors).toEqual([]);
  });

  it('times the database cannot hold (year 0000, an offset past ±15:59) are refused alone, naming the field; filters too', async () => {
    const batch = await fetch(`${url}/api/v1/events`, { method: 'POST', headers: FEED, body: JSON.stringify([
      ev('year-0', { time: '0000-06-01T00:00:00Z' }), ev('offset-16', { time: '2026-11-28T21:00:00+16:00' }), ev('offset-1559', { time: '2026-11-28T21:00:00-15:59' }), ev('time-ok'),
    ]) });
    expect(batch.status).toBe(202);
    const body = await batch.json() as { accepted: number; rejected: { index: number; error: { field: string; message: string } }[] };
    expect(body.accepted).toBe(2);
    expect(body.rejected.map((r) => [r.index, r.error.field])).toEqual([[0, 'time'], [1, 'time']]);
    expect(body.rejected[0]!.error.message).toMatch(/0001/);
    expect(body.rejected[1]!.error.message).toMatch(/15:59/);
    const op = await login(url, 'operator');
    const since = await fetch(`${url}/api/v1/events?since=0000-01-01T00:00:00Z`, { headers: op.headers });
    expect(since.status).toBe(400);
    expect(await since.json()).toMatchObject({ error: { code: 'VIGIE_VALIDATION', message: expect.stringMatching(/^since/) } });
  });

  it('text the database cannot hold (half a surrogate pair) is a 4xx naming the field, never a 500, and costs nothing else', async () => {
    const half = 'moitié \ud83d';
    const batch = await fetch(`${url}/api/v1/events`, { method: 'POST', headers: FEED, body: JSON.stringify([ev('half-1', { text: half }), ev('half-2')]) });
    expect(batch.status).toBe(202);
    expect(await batch.json()).toMatchObject({ accepted: 1, rejected: [{ index: 0, error: { code: 'VIGIE_VALIDATION', field: 'text', reason: { key: 'lone_surrogate' } } }] });
    const sup = await login(url, 'supervisor');
    const silence = await fetch(`${url}/api/v1/silences`, { method: 'POST', headers: sup.headers, body: JSON.stringify({ matcher: 'rule', value: 'x', reason: half, until: '2099-01-01T00:00:00Z' }) });
    expect(silence.status).toBe(400);
    expect(await silence.json()).toMatchObject({ error: { code: 'VIGIE_VALIDATION', message: expect.stringMatching(/^reason: .*surrogate/) } });
    const square = [[5, 43], [5.01, 43], [5.01, 43.01], [5, 43]];
    const zones = await fetch(`${url}/api/v1/zones/import?kind=half&idProperty=code&nameProperty=label`, {
      method: 'POST', headers: sup.headers,
      body: JSON.stringify({ type: 'FeatureCollection', features: [
        { type: 'Feature', properties: { code: 'a', label: half }, geometry: { type: 'Polygon', coordinates: [square] } },
        { type: 'Feature', properties: { code: 'b', label: 'Bien' }, geometry: { type: 'Polygon', coordinates: [square] } },
      ] }),
    });
    expect(zones.status).toBe(200);
    expect(await zones.json()).toEqual({ imported: 1, rejected: [{ index: 0, error: { code: 'VIGIE_VALIDATION', field: 'properties.label', message: expect.stringMatching(/^properties\.label: .*surrogate/), reason: { key: 'lone_surrogate' } } }] });
  });

  it('never lets an import replace a warning\'s temporary area, nor take its kind; an imported zone is permanent', async () => {
    const sup = await login(url, 'supervisor');
    const square: [number, number][] = [[5.3, 43.2], [5.31, 43.2], [5.31, 43.21], [5.3, 43.2]];
    const feature = (id: string) => ({ type: 'Feature', id, properties: {}, geometry: { type: 'Polygon', coordinates: [square] } });
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    await upsertTemporaryZones(node.vigie.db, [{ id: 'cap-vent#0-0', name: 'Vent violent', geometry: { type: 'Polygon', coordinates: [square] }, expiresAt }]);
    const asWarning = await fetch(`${url}/api/v1/zones/import?kind=warning`, { method: 'POST', headers: sup.headers, body: JSON.stringify({ type: 'FeatureCollection', features: [feature('x')] }) });
    expect(asWarning.status).toBe(400);
    expect(await asWarning.json()).toMatchObject({ error: { code: 'VIGIE_VALIDATION', message: expect.stringMatching(/^kind: the kind of the warnings' temporary areas/) } });
    // The features' own ids (RFC 7946) name the zones: one of them is the warning's.
    const res = await fetch(`${url}/api/v1/zones/import?kind=cap`, { method: 'POST', headers: sup.headers, body: JSON.stringify({ type: 'FeatureCollection', features: [feature('vent#0-0'), feature('port')] }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ imported: 1, rejected: [{ index: 0, error: { field: 'properties.id', reason: { key: 'conflict' } } }] });
    const rows = await node.vigie.db.query<{ id: string; kind: string; expires_at: unknown }>("SELECT id, kind, expires_at FROM zones WHERE id IN ('cap-vent#0-0', 'cap-port') ORDER BY id");
    expect(rows.map((r) => [r.id, r.kind, r.expires_at === null])).toEqual([['cap-port', 'cap', true], ['cap-vent#0-0', 'warning', false]]);
  });

  it('imports GeoJSON zones, holes and multipolygons included, and alerts name them', async () => {
    const sup = await login(url, 'supervisor');
    const square = (x: number, y: number, s: number) => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { code: 'ring', label: 'Ring' }, geometry: { type: 'Polygon', coordinates: [square(5.36, 43.29, 0.02), square(5.369, 43.296, 0.001)] } },
        { type: 'Feature', properties: { code: 'multi', label: 'Multi' }, geometry: { type: 'MultiPolygon', coordinates: [[square(5.0, 43.0, 0.01)], [square(5.1, 43.0, 0.01)]] } },
        { type: 'Feature', properties: { label: 'No id' }, geometry: { type: 'Polygon', coordinates: [square(5, 43, 1)] } },
        { type: 'Feature', properties: { code: 'line' }, geometry: { type: 'LineString', coordinates: [[5, 43], [6, 44]] } },
      ],
    };
    const res = await fetch(`${url}/api/v1/zones/import?kind=test&idProperty=code&nameProperty=label`, { method: 'POST', headers: sup.headers, body: JSON.stringify(fc) });
    expect(res.status).toBe(200);
    const out = (await res.json()) as { imported: number; rejected: { index: number; error: { code: string; field: string; message: string } }[] };
    expect(out.imported).toBe(2);
    expect(out.rejected.map((r) => [r.index, r.error.code, r.error.field])).toEqual([[2, 'VIGIE_VALIDATION', 'properties.code'], [3, 'VIGIE_VALIDATION', 'geometry.type']]);
    expect(out.rejected[0]!.error.message).toMatch(/^properties\.code: required/);
    // 43.2965, 5.3698 lies in the hole of "Ring": the assault's alert is not in test-ring
    await postEvents(url, assault('z1'));
    await postEvents(url, { ...assault('z2'), location: { lat: 43.2930, lon: 5.3650 } });
    const op = await login(url, 'operator');
    const alerts = await eventually(async () => {
      const { alerts } = (await (await fetch(`${url}/api/v1/alerts`, { headers: op.headers })).json()) as { alerts: Alert[] };
      // Each assault's own alert (incident-cluster, firing on arrival, may gather them too).
      const a1 = alerts.find((x) => x.ruleId === 'assault-injured' && x.evidence.some((e) => e.id === 'z1'));
      const a2 = alerts.find((x) => x.ruleId === 'assault-injured' && x.evidence.some((e) => e.id === 'z2'));
      return a1 && a2 ? [a1, a2] : undefined;
    });
    expect(alerts[0]!.zones).not.toContain('test-ring');
    expect(alerts[1]!.zones).toContain('test-ring');
  });
});
