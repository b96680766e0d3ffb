import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEED, login, startNode, type Running } from '../testing/harness.ts';
import { formatBytes } from './errors.ts';

/** Bad input gets a 4xx naming what is wrong, never a 500, and never costs the valid data beside it. */
let node: Running;
let url: string;
beforeAll(async () => { node = await startNode(); url = node.url; });
afterAll(async () => { await node?.stop(); });

const square = (x: number, y: number, s = 0.01) => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
const feature = (properties: Record<string, unknown>, x = 5) => ({ type: 'Feature', properties, geometry: { type: 'Polygon', coordinates: [square(x, 43)] } });

describe('POST /api/v1/zones/import', () => {
  const importZones = async (kind: string, features: unknown[]) => {
    const sup = await login(url, 'supervisor');
    const res = await fetch(`${url}/api/v1/zones/import?kind=${kind}&idProperty=code&nameProperty=label`, {
      method: 'POST', headers: sup.headers, body: JSON.stringify({ type: 'FeatureCollection', features }),
    });
    type Rejected = { index: number; error: { code: string; message: string; field?: string; reason?: { key: string } } };
    return { status: res.status, body: (await res.json()) as { imported?: number; rejected?: Rejected[]; error?: { code: string; message: string; details: { rejected: Rejected[]; field?: string; issues?: { field: string }[] } } } };
  };
  const zoneIds = async (kind: string) => {
    const op = await login(url, 'operator');
    const { zones } = (await (await fetch(`${url}/api/v1/zones`, { headers: op.headers })).json()) as { zones: { id: string; kind: string; name: string }[] };
    return zones.filter((z) => z.kind === kind).map((z) => z.id).sort();
  };

  /** A refused feature as every refused item of the API: {index, error: {code, message, field, reason}}. */
  const refused = (index: number, field: string, message: RegExp | string, reason: object) =>
    ({ index, error: { code: 'VIGIE_VALIDATION', field, message: typeof message === 'string' ? message : expect.stringMatching(message), reason } });

  it('refuses every feature sharing an id, naming the others, and imports the rest', async () => {
    const r = await importZones('dup', [feature({ code: 'a', label: 'A' }), feature({ code: 'b', label: 'B' }), feature({ code: 'a', label: 'A bis' }, 6), feature({ code: 1 }), feature({ code: '1' })]);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      imported: 1,
      rejected: [
        refused(0, 'properties.code', /^properties\.code: "a" is also the id of feature 2/, { key: 'conflict' }),
        refused(2, 'properties.code', /^properties\.code: "a" is also the id of feature 0/, { key: 'conflict' }),
        refused(3, 'properties.code', /^properties\.code: "1" is also the id of feature 4/, { key: 'conflict' }),
        refused(4, 'properties.code', /^properties\.code: "1" is also the id of feature 3/, { key: 'conflict' }),
      ],
    });
    expect(await zoneIds('dup')).toEqual(['dup-b']);
  });

  it('answers 400 when every feature shares its id with another', async () => {
    const r = await importZones('dup2', [feature({ code: 'a' }), feature({ code: 'a' })]);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'VIGIE_VALIDATION', details: { rejected: [{ index: 0, error: { code: 'VIGIE_VALIDATION', field: 'properties.code', reason: { key: 'conflict' } } }, { index: 1, error: { field: 'properties.code' } }] } });
    expect(await zoneIds('dup2')).toEqual([]);
  });

  it('refuses an id or a name that is neither a string nor a number, naming the property', async () => {
    const r = await importZones('obj', [feature({ code: { x: 1 } }), feature({ code: ['a'] }), feature({ code: true }), feature({ code: 'ok', label: { fr: 'Nom' } }), feature({ code: 7, label: 'Sept' })]);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      imported: 1,
      rejected: [
        refused(0, 'properties.code', 'properties.code: expected a string or a number, got object', { key: 'type' }),
        refused(1, 'properties.code', 'properties.code: expected a string or a number, got array', { key: 'type' }),
        refused(2, 'properties.code', 'properties.code: expected a string or a number, got boolean', { key: 'type' }),
        refused(3, 'properties.label', 'properties.label: expected a string or a number, got object', { key: 'type' }),
      ],
    });
    expect(await zoneIds('obj')).toEqual(['obj-7']);
  });

  it('names the geometry\'s bad member, and a body that is no FeatureCollection names its field as every 400 does (details.issues)', async () => {
    const r = await importZones('geo', [feature({ code: 'line' }), { ...feature({ code: 'ring' }), geometry: { type: 'Polygon', coordinates: [[[5, 43], [5.1, 43], [5, 43]]] } }, { ...feature({ code: 'lines' }), geometry: { type: 'LineString', coordinates: [[5, 43], [6, 44]] } }]);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      imported: 1,
      rejected: [
        refused(1, 'geometry.coordinates.0', /^geometry\.coordinates\.0: /, { key: 'too_short', limit: 4 }),
        refused(2, 'geometry.type', 'geometry.type: expected Polygon or MultiPolygon, got "LineString"', { key: 'one_of', values: ['Polygon', 'MultiPolygon'] }),
      ],
    });
    const sup = await login(url, 'supervisor');
    for (const [body, field] of [[{ type: 'Feature' }, 'type'], [{ type: 'FeatureCollection', features: {} }, 'features']] as const) {
      const res = await fetch(`${url}/api/v1/zones/import?kind=geo`, { method: 'POST', headers: sup.headers, body: JSON.stringify(body) });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'VIGIE_VALIDATION', message: expect.stringMatching(new RegExp(`^${field}: `)), details: { field, issues: [{ field }] } } });
    }
  });
});

describe('credentials on the wrong route', () => {
  it('a token on a console route is told that the route takes a signed-in session, not a token', async () => {
    for (const authorization of ['Bearer demo-feed-token', 'Display demo-wall']) {
      const res = await fetch(`${url}/api/v1/alerts`, { headers: { authorization } });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'VIGIE_AUTH_REQUIRED', message: expect.stringMatching(/^this route takes a signed-in session .*, not a token/) });
    }
    const none = await fetch(`${url}/api/v1/alerts`);
    expect(((await none.json()) as { error: { message: string } }).error.message).toBe('sign in first (POST /api/v1/auth/login)');
  });
});

describe('query strings', () => {
  it('refuse a parameter a route does not take (a misspelt or bracketed filter would answer unfiltered), and a value outside a list, naming it', async () => {
    const [op, admin] = await Promise.all([login(url, 'operator'), login(url, 'admin')]);
    const get = async (path: string, headers: Record<string, string>) => {
      const res = await fetch(`${url}/api/v1${path}`, { headers });
      return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string; details: { issues: { field: string; reason: unknown }[] } } } };
    };
    for (const [path, headers, field] of [
      ['/alerts?zone[]=x', op.headers, 'zone[]'], ['/alerts?cursor=abc', op.headers, 'cursor'], ['/events?sourcee=x', op.headers, 'sourcee'],
      ['/events?source[]=pn', op.headers, 'source[]'], ['/audit?actor[]=x', admin.headers, 'actor[]'], ['/silences?al=1', admin.headers, 'al'],
      ['/calendar?form=2026-01-01', op.headers, 'form'], ['/feeds/dead-letters?sources=x', admin.headers, 'sources'],
    ] as const) {
      const r = await get(path, headers);
      expect([path, r.status, r.body.error?.code, r.body.error?.details?.issues?.[0] ?? r.body]).toEqual([path, 400, 'VIGIE_VALIDATION', { field, message: 'unknown field', reason: { key: 'unknown_field' } }]);
    }
    const bogus = await get('/alerts?status=open,bogus', op.headers);
    expect(bogus.status).toBe(400);
    expect(bogus.body.error!.message).toBe('status: "bogus" is not one of open, acknowledged, resolved, dismissed');
    expect(bogus.body.error!.details.issues[0]!.reason).toEqual({ key: 'one_of', values: ['open', 'acknowledged', 'resolved', 'dismissed'] });
    expect((await get('/alerts?status=open,acknowledged&limit=5', op.headers)).status).toBe(200);
  });
});

describe('rules', () => {
  const bomb = ['id: lol', 'title: T', 'severity: low', 'kind: match', 'a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
    'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]', 'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]', ''].join('\n');

  it('refuses a YAML alias bomb on validate, publish and backtest as a rule error', async () => {
    const sup = await login(url, 'supervisor');
    const post = (path: string, body: unknown) => fetch(`${url}/api/v1/rules${path}`, { method: 'POST', headers: sup.headers, body: JSON.stringify(body) });
    const v = await post('/validate', { yaml: bomb });
    expect(v.status).toBe(200);
    expect(await v.json()).toEqual({ ok: false, errors: [{ line: 6, column: 8, field: '', message: expect.stringMatching(/too many aliases/), reason: { key: 'aliases' } }], warnings: [] });
    for (const [path, body] of [['', { yaml: bomb }], ['/backtest', { yaml: bomb, from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' }]] as const) {
      const res = await post(path, body);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { code: 'VIGIE_RULE_INVALID', message: expect.stringMatching(/^yaml: too many aliases/), details: { errors: [expect.objectContaining({ line: 6 })] } } });
    }
    const put = await fetch(`${url}/api/v1/rules/lol`, { method: 'PUT', headers: sup.headers, body: JSON.stringify({ yaml: bomb }) });
    expect(put.status).toBe(400);
    expect(await put.json()).toMatchObject({ error: { code: 'VIGIE_RULE_INVALID' } });
  });
});

describe('rule versions', () => {
  it('answers 400 naming the version when it is not a whole number or out of range, 404 when there is no such version', async () => {
    const op = await login(url, 'operator');
    const get = async (v: string) => {
      const res = await fetch(`${url}/api/v1/rules/incident-cluster/versions/${v}`, { headers: op.headers });
      return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string; details?: { issues: { field: string }[] } } } };
    };
    expect((await get('1')).status).toBe(200);
    for (const v of ['abc', '1.5', '-1', '0', '99999999999', '1e3']) {
      const r = await get(v);
      expect(r.status, v).toBe(400);
      expect(r.body.error, v).toMatchObject({ code: 'VIGIE_VALIDATION', message: expect.stringMatching(/^version: /), details: { issues: [{ field: 'version' }] } });
    }
    const missing = await get('999');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'VIGIE_NOT_FOUND' });
  });

  it('refuses a rollback to a version out of range, naming it', async () => {
    const sup = await login(url, 'supervisor');
    const res = await fetch(`${url}/api/v1/rules/incident-cluster/rollback`, { method: 'POST', headers: sup.headers, body: JSON.stringify({ version: 99999999999 }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'VIGIE_VALIDATION', message: expect.stringMatching(/^version: /) } });
  });
});

describe('Content-Encoding', () => {
  const body = JSON.stringify({ id: 'gz-1', source: 'csu', type: 'incident.theft', time: '2026-11-28T21:14:05+01:00' });
  const gz = gzipSync(body);
  const csv = gzipSync('numero;nature;horodatage\nGZ-1;vol;2026-11-28T21:00:00+01:00\n');
  const bad: [string, string, Buffer][] = [
    ['gzip', 'not gzip', Buffer.from(body)],
    ['gzip', 'truncated', gz.subarray(0, gz.length - 12)],
    ['deflate', 'not deflate', Buffer.from(body)],
    ['br', 'not brotli', Buffer.from('\u00ff\u00ff\u00ff\u00ff not brotli at all')],
  ];

  it('answers 400 VIGIE_BAD_ENCODING for a body that is not in its Content-Encoding, on events, CSV ingest and Open311', async () => {
    const feed = { ...FEED, 'content-type': 'application/json' };
    for (const [encoding, what, data] of bad) {
      const events = await fetch(`${url}/api/v1/events`, { method: 'POST', headers: { ...feed, 'content-encoding': encoding }, body: data });
      expect(events.status, `events ${what}`).toBe(400);
      expect(await events.json()).toEqual({ error: { code: 'VIGIE_BAD_ENCODING', message: expect.stringContaining(`Content-Encoding: ${encoding}`), details: {} } });
    }
    const csvBad = await fetch(`${url}/api/v1/ingest/csv?source=cctv`, { method: 'POST', headers: { ...FEED, 'content-type': 'text/csv', 'content-encoding': 'gzip' }, body: csv.subarray(0, 20) });
    expect(csvBad.status).toBe(400);
    expect(await csvBad.json()).toMatchObject({ error: { code: 'VIGIE_BAD_ENCODING' } });
    const o311 = await fetch(`${url}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip' }, body: 'service_code=x&api_key=demo-feed-token' });
    expect(o311.status).toBe(400);
    expect(await o311.json()).toEqual([{ code: 400, description: expect.stringMatching(/^VIGIE_BAD_ENCODING: /) }]);
  });

  it('still takes a body that is in its Content-Encoding', async () => {
    const ok = await fetch(`${url}/api/v1/events`, { method: 'POST', headers: { ...FEED, 'content-encoding': 'gzip' }, body: gz });
    expect(ok.status).toBe(202);
    expect(await ok.json()).toMatchObject({ accepted: 1 });
    const okCsv = await fetch(`${url}/api/v1/ingest/csv?source=cctv`, { method: 'POST', headers: { ...FEED, 'content-type': 'text/csv', 'content-encoding': 'gzip' }, body: csv });
    expect(okCsv.status).toBe(202);
  });

  it('says which field is wrong when an upload is not marked true or false', async () => {
    const r = await fetch(`${url}/api/v1/ingest/csv?source=cctv&import=yes`, { method: 'POST', headers: { ...FEED, 'content-type': 'text/csv' }, body: 'numero;nature;horodatage\n1;vol;2026-01-01T10:00:00Z\n' });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ error: { code: 'VIGIE_VALIDATION', message: expect.stringContaining('import:'), details: { field: 'import' } } });
  });
});

describe('a body over its route\'s limit', () => {
  it('answers 413 naming that route\'s own limit, in the message and as details.limitBytes', async () => {
    const tooLarge = async (path: string, headers: Record<string, string>, bytes: number) => {
      const res = await fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify({ text: 'x'.repeat(bytes) }) });
      return { status: res.status, body: (await res.json()) as { error: { code: string; message: string; details: { limitBytes?: number } } } };
    };
    const events = await tooLarge('/api/v1/events', FEED, 1024 * 1024);
    expect(events).toEqual({ status: 413, body: { error: { code: 'VIGIE_BATCH_TOO_LARGE', message: 'the body is larger than this route takes: at most 1 MiB', details: { limitBytes: 1024 * 1024 } } } });
    const signIn = await tooLarge('/api/v1/auth/login', { 'content-type': 'application/json' }, 20_000);
    expect(signIn).toEqual({ status: 413, body: { error: { code: 'VIGIE_BATCH_TOO_LARGE', message: 'the body is larger than this route takes: at most 16 KiB', details: { limitBytes: 16 * 1024 } } } });
    const sup = await login(url, 'supervisor');
    const comment = await tooLarge('/api/v1/alerts/no-such-alert/comment', sup.headers, 70_000);
    expect(comment.status).toBe(413);
    expect(comment.body.error.details).toEqual({ limitBytes: 64 * 1024 });
  });

  it('words a limit in MiB or KiB when it is a whole number of them, else in bytes', () => {
    expect([20 * 1024 * 1024, 100 * 1024 * 1024, 2 * 1024 * 1024, 65_536, 102_400, 1500].map(formatBytes)).toEqual(['20 MiB', '100 MiB', '2 MiB', '64 KiB', '100 KiB', '1500 bytes']);
  });
});

describe('error wording', () => {
  it('says "required" only for a field that is absent, and what was expected and given otherwise', async () => {
    const sup = await login(url, 'supervisor');
    const rollback = (body: unknown) => fetch(`${url}/api/v1/rules/incident-cluster/rollback`, { method: 'POST', headers: sup.headers, body: JSON.stringify(body) }).then(async (r) => [r.status, await r.json()]);
    expect(await rollback({ version: '3' })).toEqual([400, { error: { code: 'VIGIE_VALIDATION', message: 'version: expected number, got "3"', details: { issues: [{ field: 'version', message: 'expected number, got "3"', reason: { key: 'type' } }] } } }]);
    expect(await rollback({ version: null })).toMatchObject([400, { error: { message: 'version: expected number, got null' } }]);
    expect(await rollback({})).toMatchObject([400, { error: { message: 'version: required' } }]);
    const op = await login(url, 'operator');
    const events = await fetch(`${url}/api/v1/events?limit=abc`, { headers: op.headers });
    expect(events.status).toBe(400);
    expect(await events.json()).toMatchObject({ error: { code: 'VIGIE_VALIDATION', message: 'limit: expected number, got "abc"' } });
  });

  it('names an unknown event key and words a wrong type, with its reason', async () => {
    const ev = { id: 'w-1', source: 'csu', type: 'incident.theft', time: '2026-11-28T21:14:05+01:00' };
    const res = await fetch(`${url}/api/v1/events`, { method: 'POST', headers: FEED, body: JSON.stringify([{ ...ev, extra: 1 }, { ...ev, id: 'w-2', severity: 'high' }, { ...ev, id: 'w-3' }, 'not an event']) });
    expect(res.status).toBe(202);
    expect(((await res.json()) as { rejected: unknown[] }).rejected).toEqual([
      { index: 0, error: { code: 'VIGIE_VALIDATION', field: 'extra', message: 'extra: unknown field', reason: { key: 'unknown_field' } } },
      { index: 1, error: { code: 'VIGIE_VALIDATION', field: 'severity', message: 'severity: expected number, got "high"', reason: { key: 'type' } } },
      { index: 3, error: { code: 'VIGIE_VALIDATION', field: '', message: 'expected object, got "not an event"', reason: { key: 'type' } } },
    ]);
  });

  it('words Open311 refusals the same way', async () => {
    const post = (body: unknown) => fetch(`${url}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api_key: 'demo-feed-token', lat: 43.29, long: 5.37, ...(body as object) }) });
    const typed = await post({ service_code: 5 });
    expect(typed.status).toBe(400);
    expect(await typed.json()).toEqual([{ code: 400, description: 'VIGIE_VALIDATION: service_code: expected string, got 5' }]);
    expect(await (await post({})).json()).toEqual([{ code: 400, description: 'VIGIE_VALIDATION: service_code: required' }]);
  });
});

describe('a path no route can read', () => {
  it('answers 400 naming the path for a NUL or a broken escape, on every route, in GeoReport\'s format under /open311', async () => {
    const { headers } = await login(url, 'supervisor');
    for (const path of ['/api/v1/alerts/%00', '/api/v1/alerts/%FF', '/api/v1/alerts/%00.cap', '/api/v1/calendar/%00/view', '/api/v1/rules/%00/versions', '/api/v1/rules/a%E0%A4/versions']) {
      const res = await fetch(`${url}${path}`, { headers });
      expect(res.status, path).toBe(400);
      expect(await res.json(), path).toMatchObject({ error: { code: 'VIGIE_VALIDATION', details: { issues: [{ field: 'path' }] } } });
    }
    const put = await fetch(`${url}/api/v1/wall/screens/%00`, { method: 'PUT', headers, body: JSON.stringify({ views: [{ kind: 'city' }] }) });
    expect(put.status).toBe(400);
    for (const path of ['/open311/v2/requests/%00.json', '/open311/v2/requests.json?service_request_id=%00']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).toBe(400);
      expect(await res.json(), path).toEqual([{ code: 400, description: expect.stringMatching(/^VIGIE_VALIDATION: (path|service_request_id): .*NUL/) }]);
    }
  });

  it('answers a GeoReport 404 for a path GeoReport v2 does not have here, not the console\'s page', async () => {
    for (const path of ['/open311/v2/services.xml', '/open311/v2/foo']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual([{ code: 404, description: expect.stringContaining('VIGIE_NOT_FOUND') }]);
    }
  });
});

describe('what a probe of the API found', () => {
  // Answers of every shape, read by the expectations.
  const json = async (res: Response) => [res.status, (await res.json()) as any] as const;

  it('keeps the valid items of a batch beside one nested too deep to keep, and answers 202', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const body = `[{"id":"deep-ok","source":"csu","type":"incident.theft","time":"2026-11-30T10:00:00Z"},${deep}]`;
    const [status, answer] = await json(await fetch(`${url}/api/v1/events`, { method: 'POST', headers: FEED, body }));
    expect(status).toBe(202);
    expect(answer).toMatchObject({ accepted: 1, rejected: [{ index: 1 }] });
  });

  it('refuses a backtest period that is no ISO time, or before year 1', async () => {
    const sup = await login(url, 'supervisor');
    const yaml = 'id: probe-bt\ntitle: T\nseverity: low\nkind: match\nwhere:\n  type: "incident.*"\n';
    for (const [from, to] of [['0000-12-31T00:00:00Z', '0001-01-30T00:00:00Z'], ['-000001-12-01T00:00:00Z', '2026-01-01T00:00:00Z'], ['1', '2']]) {
      const [status, answer] = await json(await fetch(`${url}/api/v1/rules/backtest`, { method: 'POST', headers: sup.headers, body: JSON.stringify({ yaml, from, to }) }));
      expect(status, from).toBe(400);
      expect([answer.error.code, answer.error.details.issues[0].field], from).toEqual(['VIGIE_VALIDATION', 'from']);
    }
  });

  it('refuses a GTFS source that cannot be one, naming the parameter', async () => {
    const op = await login(url, 'operator');
    const [status, answer] = await json(await fetch(`${url}/api/v1/feeds/gtfs-static/routes?source=%00`, { headers: op.headers }));
    expect(status).toBe(400);
    expect(answer).toMatchObject({ error: { code: 'VIGIE_VALIDATION', details: { issues: [{ field: 'source' }] } } });
    expect((await fetch(`${url}/api/v1/feeds/gtfs-static/routes`, { headers: op.headers })).status).toBe(200);
  });

  it('gives back a major event of year 1 as it was written', async () => {
    const sup = await login(url, 'supervisor');
    const event = { title: 'An 1', kind: 'fair', venue: 'Vieux-Port', location: { lat: 43.295, lon: 5.374 }, perimeter: { type: 'Polygon', coordinates: [square(5.37, 43.29)] }, startsAt: '0001-01-01T00:00:00Z', endsAt: '0001-01-02T00:00:00Z', expectedAttendance: 10 };
    const [status, made] = await json(await fetch(`${url}/api/v1/calendar`, { method: 'POST', headers: sup.headers, body: JSON.stringify(event) }));
    expect(status).toBe(201);
    expect(made).toMatchObject({ startsAt: '0001-01-01T00:00:00.000Z', endsAt: '0001-01-02T00:00:00.000Z' });
    // What a read gives may be sent back as it is (its id, times and phase passed over); a member no event has is refused.
    const [put, replaced] = await json(await fetch(`${url}/api/v1/calendar/${made.id}`, { method: 'PUT', headers: sup.headers, body: JSON.stringify({ ...made, title: 'An 2' }) }));
    expect([put, replaced.title]).toEqual([200, 'An 2']);
    const [status2, refused] = await json(await fetch(`${url}/api/v1/calendar`, { method: 'POST', headers: sup.headers, body: JSON.stringify({ ...event, organiser: 'Mairie' }) }));
    expect([status2, refused.error.details.issues[0].field]).toEqual([400, 'organiser']);
  });

  it('refuses a field a body does not take, rather than drop it (a misspelt note, a misspelt baseVersion)', async () => {
    const sup = await login(url, 'supervisor');
    const [status, answer] = await json(await fetch(`${url}/api/v1/alerts/no-such-alert/resolve`, { method: 'POST', headers: sup.headers, body: JSON.stringify({ version: 1, notes: 'patrouille sur place' }) }));
    expect(status).toBe(400);
    expect(answer).toMatchObject({ error: { code: 'VIGIE_VALIDATION', details: { issues: [{ field: 'notes', reason: { key: 'unknown_field' } }] } } });
    const [status2, answer2] = await json(await fetch(`${url}/api/v1/rules`, { method: 'POST', headers: sup.headers, body: JSON.stringify({ yaml: 'id: x\n', base_version: 1 }) }));
    expect(status2).toBe(400);
    expect(answer2).toMatchObject({ error: { details: { issues: [{ field: 'base_version', reason: { key: 'unknown_field' } }] } } });
  });

  it('answers 404 for the shadow alerts of a rule that does not exist, an empty list for one that never fired', async () => {
    const sup = await login(url, 'supervisor');
    expect((await fetch(`${url}/api/v1/rules/nope-rule/shadow-alerts`, { headers: sup.headers })).status).toBe(404);
    expect(await json(await fetch(`${url}/api/v1/rules/incident-cluster/shadow-alerts`, { headers: sup.headers }))).toEqual([200, { alerts: [] }]);
  });

  it('refuses a silence of a rule that does not exist, naming ruleId', async () => {
    const sup = await login(url, 'supervisor');
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const [status, answer] = await json(await fetch(`${url}/api/v1/silences`, { method: 'POST', headers: sup.headers, body: JSON.stringify({ matcher: 'key', value: 'x', ruleId: 'nope-rule', until, reason: 'r' }) }));
    expect(status).toBe(400);
    expect(answer).toMatchObject({ error: { code: 'VIGIE_VALIDATION', details: { issues: [{ field: 'ruleId', reason: { key: 'not_found' } }] } } });
  });

  it('answers JSON under /api wherever no route is, and a bare JSON value as no object', async () => {
    for (const path of ['/api', '/api/', '/api/x', '/api/v2/alerts']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.json(), path).toMatchObject({ error: { code: 'VIGIE_NOT_FOUND' } });
    }
    const [status, answer] = await json(await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'null' }));
    expect([status, answer.error.message]).toEqual([400, 'the body must be a JSON object, not null']);
    // A sign-in with a member it does not take (a one-time code this server does not ask for) is refused, not half-read.
    const [otpStatus, otp] = await json(await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'operator', password: 'operator', otp: '123456' }) }));
    expect([otpStatus, otp.error.details.issues[0]]).toEqual([400, expect.objectContaining({ field: 'otp', reason: { key: 'unknown_field' } })]);
  });

  it('answers 405 with Allow for a method a path does not take, and OPTIONS with the methods it takes', async () => {
    const op = await login(url, 'operator');
    const cases: [string, string, string][] = [
      ['DELETE', '/api/v1/alerts', 'GET, HEAD'],
      ['PUT', '/api/v1/alerts/some-id', 'GET, HEAD'],
      ['GET', '/api/v1/alerts/some-id/ack', 'POST'],
      ['PATCH', '/api/v1/rules/', 'GET, HEAD, POST'],
      ['POST', '/api/v1/public/indicators', 'GET, HEAD'],
      ['GET', '/api/v1/auth/login', 'POST'],
    ];
    for (const [method, path, allow] of cases) {
      const [status, answer] = await json(await fetch(`${url}${path}`, { method, headers: op.headers }));
      expect([status, answer.error.code, answer.error.details], `${method} ${path}`).toEqual([405, 'VIGIE_METHOD_NOT_ALLOWED', { allow: allow.split(', ') }]);
      const res = await fetch(`${url}${path}`, { method: 'OPTIONS', headers: op.headers });
      expect([res.status, res.headers.get('allow')?.replace(/,(?! )/g, ', ')], `OPTIONS ${path}`).toEqual([200, allow]);
    }
    const res = await fetch(`${url}/api/v1/alerts`, { method: 'DELETE', headers: op.headers });
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    // Paths are read as Express reads them, whatever their case.
    expect((await fetch(`${url}/api/v1/Rules`, { method: 'PATCH', headers: op.headers })).status).toBe(405);
    // No such path: still 404, whatever the method.
    for (const method of ['GET', 'DELETE']) expect((await fetch(`${url}/api/v1/nothing-here`, { method, headers: op.headers })).status, method).toBe(404);
  });

  it('names every route of the API in its OpenAPI document (which the 405 answers read)', async () => {
    type Layer = { route?: { path: string; methods: Record<string, boolean> }; rawPath?: string; handle?: { stack?: Layer[] } };
    const routes: string[] = [];
    const walk = (stack: Layer[], prefix: string) => {
      for (const l of stack) {
        if (l.route) for (const m of Object.keys(l.route.methods)) routes.push(`${m.toUpperCase()} ${(prefix + l.route.path).replace(/\/\/+/g, '/').replace(/(.)\/$/, '$1')}`);
        else if (l.handle?.stack) walk(l.handle.stack, prefix + (l.rawPath ?? ''));
      }
    };
    walk((node.vigie.app as unknown as { router: { stack: Layer[] } }).router.stack, '');
    const doc = (await (await fetch(`${url}/api/v1/openapi.json`)).json()) as { paths: Record<string, object> };
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).filter((m) => m !== 'parameters').map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`)));
    const api = routes.filter((r) => / \/(api|open311)\//.test(r));
    expect(api.length).toBeGreaterThan(50);
    expect(api.filter((r) => !documented.has(r))).toEqual([]);
    // And nothing documented that no route answers (it would get 405 rather than 404).
    expect([...documented].filter((r) => !routes.includes(r))).toEqual([]);
  });

  it('takes zones sent as application/geo+json, and refuses a ring that does not close', async () => {
    const sup = await login(url, 'supervisor');
    const post = (geometry: unknown) => fetch(`${url}/api/v1/zones/import?kind=probe&idProperty=code&nameProperty=label`, {
      method: 'POST', headers: { ...sup.headers, 'content-type': 'application/geo+json' }, body: JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'a', label: 'A' }, geometry }] }),
    });
    expect((await post({ type: 'Polygon', coordinates: [square(5, 43)] })).status).toBe(200);
    const [status, answer] = await json(await post({ type: 'Polygon', coordinates: [[[5, 43], [6, 43], [6, 44], [5, 43.5]]] }));
    expect(status).toBe(400);
    expect(JSON.stringify(answer)).toContain('a ring must end where it starts');
  });

  it('refuses a second display token of the same name: a wall screen is set up by its name', async () => {
    const admin = await login(url, 'admin');
    const make = () => fetch(`${url}/api/v1/display-tokens`, { method: 'POST', headers: admin.headers, body: JSON.stringify({ name: 'probe-wall' }) });
    expect((await make()).status).toBe(201);
    const [status, answer] = await json(await make());
    expect([status, answer.error.code]).toEqual([409, 'VIGIE_TOKEN_NAME_TAKEN']);
  });

  it('answers 415 for a calendar import that is not iCalendar text', async () => {
    const sup = await login(url, 'supervisor');
    const res = await fetch(`${url}/api/v1/calendar/import`, { method: 'POST', headers: sup.headers, body: '{}' });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: { code: 'VIGIE_BAD_CONTENT_TYPE' } });
  });
});
