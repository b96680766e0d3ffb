import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, postEvents, startNode, type Running } from '../testing/harness.ts';
import { PARIS_ICS } from './ics-fixture.ts';
import { circlePerimeter } from '@vigie/rules';

const HOUR = 3_600_000;
const venue = { lat: 43.2699, lon: 5.3959 };
const match = (startsAt: number, attendance: number, title = 'OM – Nice') => ({
  title, kind: 'match', venue: 'Stade Vélodrome', location: venue, perimeter: circlePerimeter(venue, 500),
  startsAt: new Date(startsAt).toISOString(), endsAt: new Date(startsAt + 2 * HOUR).toISOString(), expectedAttendance: attendance, arrivalMinutes: 60, departureMinutes: 60,
});

describe('the major events calendar API', () => {
  let node: Running;
  let sup: Awaited<ReturnType<typeof login>>;
  let op: Awaited<ReturnType<typeof login>>;
  const api = (path: string, init: RequestInit = {}) => fetch(`${node.url}/api/v1/calendar${path}`, init);
  beforeAll(async () => {
    node = await startNode();
    [sup, op] = await Promise.all([login(node.url, 'supervisor'), login(node.url, 'operator')]);
  }, 60_000);
  afterAll(async () => { await node?.stop(); });

  it('lets supervisors create an event, refuses operators and names the bad field', async () => {
    const now = Date.now();
    expect((await api('', { method: 'POST', headers: op.headers, body: JSON.stringify(match(now, 1000)) })).status).toBe(403);
    const bad = await api('', { method: 'POST', headers: sup.headers, body: JSON.stringify({ ...match(now, 1000), endsAt: new Date(now - HOUR).toISOString() }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('endsAt');
    const res = await api('', { method: 'POST', headers: sup.headers, body: JSON.stringify(match(now - 30 * 60_000, 50_000, 'En cours')) });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; phase: string };
    expect(created.phase).toBe('during');
    // the wall's event view follows at once
    const state = (await (await fetch(`${node.url}/api/v1/wall/state?token=demo-wall`)).json()) as { events: { title: string; phase: string }[] };
    expect(state.events).toContainEqual(expect.objectContaining({ title: 'En cours', phase: 'during' }));
    const list = (await (await api('', { headers: op.headers })).json()) as { events: { id: string }[] };
    expect(list.events.map((e) => e.id)).toContain(created.id);
    expect((await api(`/${created.id}`, { method: 'DELETE', headers: sup.headers })).status).toBe(204);
    expect((await api(`/${created.id}`, { headers: op.headers })).status).toBe(404);
  });

  it('pages the list: every event once, by start time then id, with nextCursor until the last page', async () => {
    const base = Date.parse('2033-03-01T18:00:00Z');
    const starts = [base + 48 * HOUR, base, base, base + 24 * HOUR, base]; // three sharing a start: a page ends between them
    const ids: string[] = [];
    for (const [i, at] of starts.entries()) {
      const res = await api('', { method: 'POST', headers: sup.headers, body: JSON.stringify(match(at, 1000, `Page ${i}`)) });
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { id: string }).id);
    }
    const window = `from=${encodeURIComponent('2033-01-01T00:00:00Z')}&to=${encodeURIComponent('2034-01-01T00:00:00Z')}`;
    type Page = { events: { id: string; startsAt: string; phase: string }[]; nextCursor: string | null };
    const pages: Page[] = [];
    let cursor: string | null = null;
    do {
      const res = await api(`?${window}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: op.headers });
      expect(res.status).toBe(200);
      const page = (await res.json()) as Page;
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor && pages.length < 10);
    expect(pages.map((p) => p.events.length)).toEqual([2, 2, 1]);
    const got = pages.flatMap((p) => p.events);
    const byStartThenId = [...got].sort((a, b) => a.startsAt.localeCompare(b.startsAt) || (a.id < b.id ? -1 : 1));
    expect(got.map((e) => e.id)).toEqual(byStartThenId.map((e) => e.id));
    expect([...got.map((e) => e.id)].sort()).toEqual([...ids].sort());
    expect(got.every((e) => e.phase === 'before')).toBe(true);
    // One page holds them all: no cursor.
    expect(((await (await api(`?${window}&limit=5`, { headers: op.headers })).json()) as Page).nextCursor).toBeNull();
    for (const id of ids) expect((await api(`/${id}`, { method: 'DELETE', headers: sup.headers })).status).toBe(204);
    const doc = (await (await fetch(`${node.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, { parameters?: { name: string }[]; responses: Record<string, { description: string }> }>> };
    const get = doc.paths['/api/v1/calendar']!.get!;
    expect(get.parameters!.map((p) => p.name)).toEqual(['from', 'to', 'limit', 'cursor']);
    expect(get.responses['200']!.description).toBe('{events, nextCursor}');
  });

  it('refuses a limit out of bounds or a cursor it did not give with 400, naming the field', async () => {
    const forged = Buffer.from(JSON.stringify({ s: 'tomorrow', i: 'x', f: '2033-01-01T00:00:00Z', t: '2034-01-01T00:00:00Z' })).toString('base64url');
    for (const [query, field] of [['limit=0', 'limit'], ['limit=2001', 'limit'], ['limit=ten', 'limit'], ['limit=1.5', 'limit'], ['cursor=nope', 'cursor'], [`cursor=${forged}`, 'cursor'], ['cursor=', 'cursor']] as const) {
      const res = await api(`?${query}`, { headers: op.headers });
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string; details: { issues: { field: string }[] } } };
      expect(body.error.code, query).toBe('VIGIE_VALIDATION');
      expect(body.error.message, query).toMatch(new RegExp(`^${field}: `));
      expect(body.error.details.issues[0]!.field, query).toBe(field);
    }
  });

  it('replaces an event only while it is the version loaded when If-Match names it, and says why not (409, the event as it is)', async () => {
    const start = Date.now() + 48 * HOUR;
    const created = (await (await api('', { method: 'POST', headers: sup.headers, body: JSON.stringify(match(start, 1000, 'Version 1')) })).json()) as { id: string; updatedAt: string };
    const put = (body: unknown, ifMatch?: string) => api(`/${created.id}`, { method: 'PUT', headers: { ...sup.headers, ...(ifMatch === undefined ? {} : { 'if-match': ifMatch }) }, body: JSON.stringify(body) });
    // A second supervisor saves first (with the version they loaded)...
    await new Promise((r) => setTimeout(r, 5));
    const first = await put(match(start, 2000, 'Version 2'), `"${created.updatedAt}"`);
    expect(first.status).toBe(200);
    const v2 = (await first.json()) as { title: string; updatedAt: string };
    expect(v2.title).toBe('Version 2');
    // ...so an edit of version 1 is refused, naming the code, with the event as it is now.
    const stale = await put(match(start, 3000, 'Version 1 bis'), `"${created.updatedAt}"`);
    expect(stale.status).toBe(409);
    const body = (await stale.json()) as { error: { code: string; details: { current: { title: string; updatedAt: string } } } };
    expect(body.error.code).toBe('VIGIE_CALENDAR_CONFLICT');
    expect(body.error.details.current).toMatchObject({ title: 'Version 2', updatedAt: v2.updatedAt });
    // Overwriting on purpose: with the current version, or without If-Match (as before).
    expect((await put(match(start, 3000, 'Version 3'), `W/"${v2.updatedAt}"`)).status).toBe(200);
    expect((await put(match(start, 4000, 'Version 4'))).status).toBe(200);
    // A header that names no time is a bad request; an event that is gone is still a 404.
    const bad = await put(match(start, 1, 'x'), 'yesterday');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { details: { issues: { field: string }[] } } }).error.details.issues[0]!.field).toBe('If-Match');
    expect((await api(`/${created.id}`, { method: 'DELETE', headers: sup.headers })).status).toBe(204);
    expect((await put(match(start, 1, 'x'), `"${v2.updatedAt}"`)).status).toBe(404);
  });

  it('says an event\'s version as its ETag, which If-Match takes back on PUT and DELETE: a changed event is not deleted', async () => {
    const start = Date.now() + 48 * HOUR;
    const created = (await (await api('', { method: 'POST', headers: sup.headers, body: JSON.stringify(match(start, 1000, 'Tag 1')) })).json()) as { id: string; updatedAt: string };
    const read = await api(`/${created.id}`, { headers: sup.headers });
    const etag = read.headers.get('etag')!;
    expect(etag).toBe(`"${created.updatedAt}"`);
    await new Promise((r) => setTimeout(r, 5));
    const put = await api(`/${created.id}`, { method: 'PUT', headers: { ...sup.headers, 'if-match': etag }, body: JSON.stringify(match(start, 2000, 'Tag 2')) });
    expect(put.status).toBe(200);
    const v2 = put.headers.get('etag')!;
    expect(v2).toBe(`"${((await put.json()) as { updatedAt: string }).updatedAt}"`);
    // Deleting the version first read: refused, the event as it is now; deleting the current one: done.
    const stale = await api(`/${created.id}`, { method: 'DELETE', headers: { ...sup.headers, 'if-match': etag } });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { error: { code: string; details: { current: { title: string } } } }).error).toMatchObject({ code: 'VIGIE_CALENDAR_CONFLICT', details: { current: { title: 'Tag 2' } } });
    expect((await api(`/${created.id}`, { method: 'DELETE', headers: { ...sup.headers, 'if-match': 'yesterday' } })).status).toBe(400);
    expect((await api(`/${created.id}`, { method: 'DELETE', headers: { ...sup.headers, 'if-match': v2 } })).status).toBe(204);
    expect((await api(`/${created.id}`, { method: 'DELETE', headers: { ...sup.headers, 'if-match': v2 } })).status).toBe(404);
  });

  it('accepts If-Match: * as "any current version" (RFC 9110): it replaces whatever is stored, and a gone event is still 404', async () => {
    const start = Date.now() + 48 * HOUR;
    const created = (await (await api('', { method: 'POST', headers: sup.headers, body: JSON.stringify(match(start, 1000, 'Star 1')) })).json()) as { id: string; updatedAt: string };
    const put = (body: unknown, ifMatch: string) => api(`/${created.id}`, { method: 'PUT', headers: { ...sup.headers, 'if-match': ifMatch }, body: JSON.stringify(body) });
    await new Promise((r) => setTimeout(r, 5));
    expect((await put(match(start, 2000, 'Star 2'), `"${created.updatedAt}"`)).status).toBe(200);
    // Whatever the version now is, * replaces it.
    const star = await put(match(start, 3000, 'Star 3'), '*');
    expect(star.status).toBe(200);
    expect((await star.json()) as { title: string; expectedAttendance: number }).toMatchObject({ title: 'Star 3', expectedAttendance: 3000 });
    expect((await put(match(start, 4000, 'Star 4'), ' * ')).status).toBe(200);
    expect((await api(`/${created.id}`, { method: 'DELETE', headers: sup.headers })).status).toBe(204);
    const gone = await put(match(start, 1, 'x'), '*');
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { error: { code: string } }).error.code).toBe('VIGIE_NOT_FOUND');
  });

  it('names each bad field of an event with its reason as data (the console words it in French)', async () => {
    const res = await api('', { method: 'POST', headers: sup.headers, body: JSON.stringify({ ...match(Date.now(), 1000), title: '', expectedAttendance: -5, location: { lat: 95, lon: 5 } }) });
    expect(res.status).toBe(400);
    const issues = ((await res.json()) as { error: { details: { issues: { field: string; reason: unknown }[] } } }).error.details.issues;
    expect(issues).toEqual(expect.arrayContaining([
      expect.objectContaining({ field: 'title', reason: { key: 'too_short', limit: 1 } }),
      expect.objectContaining({ field: 'expectedAttendance', reason: { key: 'too_small', limit: 0 } }),
      expect.objectContaining({ field: 'location.lat', reason: { key: 'too_big', limit: 90 } }),
    ]));
    // A field of a closed list left out is missing ("required"), one given wrong is "one of".
    const { kind: _, ...noKind } = match(Date.now(), 1000);
    const missing = await api('', { method: 'POST', headers: sup.headers, body: JSON.stringify(noKind) });
    expect(((await missing.json()) as { error: { details: { issues: unknown[] } } }).error.details.issues).toEqual([expect.objectContaining({ field: 'kind', message: 'required', reason: { key: 'required' } })]);
    const wrong = await api('', { method: 'POST', headers: sup.headers, body: JSON.stringify({ ...noKind, kind: 'rave' }) });
    expect(((await wrong.json()) as { error: { details: { issues: unknown[] } } }).error.details.issues).toEqual([expect.objectContaining({ field: 'kind', reason: { key: 'one_of', values: expect.arrayContaining(['match', 'concert']) } })]);
  });

  it('refuses an event longer than a season (an end years away would make its view and briefing count every hour of it), naming endsAt', async () => {
    const start = Date.parse('2026-12-01T18:00:00Z');
    const month = { ...match(start, 1000, 'Foire'), kind: 'fair', endsAt: new Date(start + 92 * 24 * HOUR).toISOString() };
    const ok = await api('', { method: 'POST', headers: sup.headers, body: JSON.stringify(month) });
    expect(ok.status).toBe(201);
    const created = (await ok.json()) as { id: string; updatedAt: string };
    for (const endsAt of [new Date(start + 92 * 24 * HOUR + 60_000).toISOString(), '9999-12-31T23:00:00Z']) {
      const tooLong = { ...month, endsAt };
      for (const res of [
        await api('', { method: 'POST', headers: sup.headers, body: JSON.stringify(tooLong) }),
        await api(`/${created.id}`, { method: 'PUT', headers: { ...sup.headers, 'if-match': `"${created.updatedAt}"` }, body: JSON.stringify(tooLong) }),
      ]) {
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: { code: string; details: { issues: unknown[] } } }).error).toMatchObject({
          code: 'VIGIE_VALIDATION', details: { issues: [{ field: 'endsAt', reason: { key: 'too_big', limit: 92 } }] },
        });
      }
    }
    expect(((await (await api(`/${created.id}`, { headers: sup.headers })).json()) as { endsAt: string }).endsAt).toBe(month.endsAt);
    expect((await api(`/${created.id}`, { method: 'DELETE', headers: sup.headers })).status).toBe(204);
  });

  it('imports an iCalendar file, and importing it again updates instead of duplicating', async () => {
    const ics = { ...sup.headers, 'content-type': 'text/calendar' };
    const first = (await (await api('/import', { method: 'POST', headers: ics, body: PARIS_ICS })).json()) as { imported: number; updated: number; rejected: unknown[] };
    expect(first).toMatchObject({ imported: 8, updated: 0 });
    expect(first.rejected).toHaveLength(1);
    const again = (await (await api('/import', { method: 'POST', headers: ics, body: PARIS_ICS })).json()) as { imported: number; updated: number };
    expect(again).toMatchObject({ imported: 0, updated: 8 });
    const bad = await api('/import', { method: 'POST', headers: ics, body: 'BEGIN:VCALENDAR\r\nnot ical' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('VIGIE_ICS_INVALID');
  });

  it('shows an event with its incidents inside and around, the lines serving it, and a briefing from a past match', async () => {
    const now = Date.now();
    // A past match two weeks ago (same venue, 40 000 people) with 4 incidents inside its perimeter in its first hour.
    const pastStart = now - 14 * 24 * HOUR;
    const past = (await (await api('', { method: 'POST', headers: sup.headers, body: JSON.stringify(match(pastStart, 40_000, 'Passé')) })).json()) as { id: string };
    expect(past.id).toBeTruthy();
    const inside = (i: number, t: number) => ({ id: `past-${i}`, source: 'csu', type: 'incident.fight', time: new Date(t).toISOString(), location: { lat: venue.lat + 0.001, lon: venue.lon } });
    expect((await postEvents(node.url, [0, 1, 2, 3].map((i) => inside(i, pastStart - 50 * 60_000)))).status).toBe(202);
    // An upcoming match with the same attendance, and one incident now just north of the venue (around it).
    const next = (await (await api('', { method: 'POST', headers: sup.headers, body: JSON.stringify(match(now + 2 * HOUR, 40_000, 'Prochain')) })).json()) as { id: string };
    expect((await postEvents(node.url, [{ id: 'now-1', source: 'csu', type: 'incident.theft', time: new Date(now - 60_000).toISOString(), location: { lat: venue.lat + 0.009, lon: venue.lon } }])).status).toBe(202);

    const view = (await (await api(`/${next.id}/view`, { headers: op.headers })).json()) as { phase: string; crowd: { incidentsInside: number; incidentsAround: number }; lines: { id: string }[]; incidents: { sector: string }[] };
    expect(view.phase).toBe('before');
    expect(view.crowd).toMatchObject({ incidentsInside: 0, incidentsAround: 1 });
    expect(view.incidents.map((i) => i.sector)).toEqual(['north']);
    expect(view.lines.map((l) => l.id).sort()).toEqual(['19', '83', 'M2']);

    expect((await api(`/${next.id}/briefing`, { headers: op.headers })).status).toBe(403);
    const b = (await (await api(`/${next.id}/briefing`, { headers: sup.headers })).json()) as { historyWeeks: number; briefing: { comparables: { id: string }[]; sectors: { slot: number; sector: string; expected: number }[]; barriers: { accessPoint: string }[] } };
    // The store holds two of the four weeks before it (its first event is the past match's, two weeks ago): the usual is over those two.
    expect(b.historyWeeks).toBe(2);
    // Comparable: the past match here, and OM – PSG of the imported file (a match, 65 000 people, no incident stored).
    expect(b.briefing.comparables.map((c) => c.id)).toHaveLength(2);
    expect(b.briefing.comparables.map((c) => c.id)).toContain(past.id);
    // slot 0 is the first hour of the arrival: mean of 4 (the past match) and 0 (OM – PSG) inside the perimeter
    expect(b.briefing.sectors.find((s) => s.slot === 0 && s.sector === 'perimeter')?.expected).toBe(2);
    expect(b.briefing.barriers.map((x) => x.accessPoint)).toContain('rond-point-du-prado');
  });

  it('counts as transport incidents only the disruptions near the venue or on its lines, in the event\'s window', async () => {
    const now = Date.now();
    const event = (await (await api('', { method: 'POST', headers: sup.headers, body: JSON.stringify(match(now + 2 * HOUR, 30_000, 'Transport')) })).json()) as { id: string };
    const at = (min: number) => new Date(now - min * 60_000).toISOString();
    const near = { lat: venue.lat + 0.002, lon: venue.lon };
    const far = { lat: 43.3602, lon: 5.3155 }; // L'Estaque, 11 km away
    const rtm = (id: string, type: string, time: string, extra: object) => ({ id: `tr-${id}`, source: 'rtm', type, time, ...extra });
    expect((await postEvents(node.url, [
      rtm('inc-near', 'transport.incident', at(20), { location: near, severity: 3 }), // counted: beside the venue
      rtm('alert-m2', 'transport.alert', at(30), { attributes: { line: 'M2', alertId: 'al-7' } }), // counted: no place, but on a line serving the venue
      rtm('alert-m2-v2', 'transport.alert', at(25), { attributes: { line: 'M2', alertId: 'al-7' } }), // the same alert edited: not counted again
      rtm('inc-m2-far', 'transport.incident.line-stopped', at(40), { location: far, attributes: { line: 'M2' } }), // counted: on M2, elsewhere on it
      ...Array.from({ length: 30 }, (_, i) => rtm(`pos-${i}`, 'transport.vehicle.position', at(1 + i), { location: near, attributes: { line: 'M2' } })), // positions
      rtm('delay', 'transport.delay', at(10), { location: near, attributes: { line: 'M2' } }), // a delay
      rtm('msg', 'transport.message', at(10), { attributes: { line: 'M2' } }), // traveller information
      rtm('inc-far', 'transport.incident', at(15), { location: far, attributes: { line: '35' } }), // across the city, on a line not serving it
      rtm('inc-old', 'transport.incident', at(5 * 60), { location: near }), // before the window (3 h before now)
    ])).status).toBe(202);
    const view = (await (await api(`/${event.id}/view`, { headers: op.headers })).json()) as { crowd: { transportIncidents: number } };
    expect(view.crowd.transportIncidents).toBe(3);
  });
});
