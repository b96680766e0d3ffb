import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { geometryContains, geometryLabelPoint, type WallState, type Zone } from '@vigie/rules';
import { eventually, liveClient, login, postEvents, startNode, type Running } from '../testing/harness.ts';

/** Personal strings planted in events; none may reach a wall. */
const PLANTED = ['Jeanne Martin-Planté', '06 98 76 54 32', 'csu-wall-secret-1'];

describe('the wall API: display token only, nothing personal', () => {
  let node: Running;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${node.url}/api/v1/wall${path}`, { headers });
  beforeAll(async () => { node = await startNode(); }, 60_000);
  afterAll(async () => { await node?.stop(); });

  it('refuses a missing or wrong display token, and a session cookie is no substitute', async () => {
    for (const res of [await get('/bootstrap'), await get('/bootstrap?token=nope'), await get('/state', { authorization: 'Display nope' })]) {
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('VIGIE_DISPLAY_TOKEN_INVALID');
    }
    const { cookie } = await login(node.url, 'supervisor');
    expect((await get('/state', { cookie })).status).toBe(401);
  });

  it('opens with the token in the query or the Authorization header', async () => {
    const boot = (await (await get('/bootstrap?token=demo-wall')).json()) as { screen: { views: unknown[] }; zones: unknown[]; lines: unknown[] };
    expect(boot.screen.views).toEqual([{ kind: 'city' }, { kind: 'event' }, { kind: 'transport' }]);
    expect(boot.zones.length).toBeGreaterThan(10);
    expect(boot.lines.length).toBeGreaterThan(2);
    expect((await get('/state', { authorization: 'Display demo-wall' })).status).toBe(200);
  });

  it('gives alerts, figures and socket messages without the planted personal data', async () => {
    const socket = await liveClient(node.url, { wallToken: 'demo-wall' });
    const frames: string[] = [];
    socket.onAny((name, ...args) => frames.push(`${name} ${JSON.stringify(args)}`));
    const now = new Date().toISOString();
    const res = await postEvents(node.url, [{
      id: PLANTED[2], source: 'csu', type: 'incident.assault', time: now, location: { lat: 43.2965, lon: 5.3698 }, severity: 4,
      attributes: { injured: 1, witness: PLANTED[0]! }, text: `Agression, témoin ${PLANTED[0]} joignable au ${PLANTED[1]}`,
    }]);
    expect(res.status).toBe(202);
    await eventually(() => (frames.some((f) => f.startsWith('alert:new')) ? true : undefined), 10_000);
    const alerts = await (await get('/alerts?token=demo-wall')).text();
    const state = await (await get('/state?token=demo-wall')).text();
    expect(JSON.parse(alerts).alerts.length).toBe(1);
    for (const text of [alerts, state, ...frames]) for (const p of PLANTED) expect(text).not.toContain(p);
    const figures = JSON.parse(state).figures;
    expect(figures.openBySeverity.high).toBe(1);
    expect(figures.incidents.lastHour).toBe(1);
    expect(figures.feeds).toContainEqual({ source: 'csu', status: 'ok' });
    socket.close();
  });

  it('counts the usual incidents for this hour of the week over the last four weeks the store holds', async () => {
    const ago = (days: number, minutes: number) => new Date(Date.now() - days * 86_400_000 - minutes * 60_000).toISOString();
    const ev = (id: string, time: string) => ({ id, source: 'csu', type: 'incident.theft', time, location: { lat: 43.3, lon: 5.38 } });
    // 2 a week ago, 1 two weeks ago, 1 two weeks ago but two hours earlier (another hour): the store holds two weeks, so
    // usual (2 + 1) / 2, not over four weeks of which two had nothing stored yet
    expect((await postEvents(node.url, [ev('u1', ago(7, 20)), ev('u2', ago(7, 40)), ev('u3', ago(14, 10)), ev('u4', ago(14, 130))])).status).toBe(202);
    const { figures } = (await (await get('/state?token=demo-wall')).json()) as { figures: { incidents: { usual: number; weeks: number } } };
    expect(figures.incidents).toMatchObject({ usual: 1.5, weeks: 4, historyWeeks: 2 });
  });

  it('stores a configuration per screen, set by a supervisor, refused when invalid', async () => {
    const sup = await login(node.url, 'supervisor');
    const op = await login(node.url, 'operator');
    const put = (name: string, body: unknown, headers = sup.headers) =>
      fetch(`${node.url}/api/v1/wall/screens/${encodeURIComponent(name)}`, { method: 'PUT', headers, body: JSON.stringify(body) });
    const boot0 = (await (await get('/bootstrap?token=demo-wall')).json()) as { zones: { id: string }[] };
    const config = { views: [{ kind: 'transport' }, { kind: 'district', zoneId: boot0.zones[0]!.id }], dwellSeconds: 12 };
    expect((await put('demo wall', config, op.headers)).status).toBe(403);
    const bad = await put('demo wall', { views: [{ kind: 'moon' }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('views.0');
    // A district the city does not have would show an empty screen: refused, the field named
    const unknown = await put('demo wall', { views: [{ kind: 'city' }, { kind: 'district', zoneId: 'sector-x' }] });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: { code: 'VIGIE_VALIDATION', details: { issues: [{ field: 'views.1.zoneId', reason: { key: 'not_found' } }] } } });
    // A member a view does not take (a zone on the city view) is refused, naming it, not dropped unsaid
    const extra = await put('demo wall', { views: [{ kind: 'city', zoneId: boot0.zones[0]!.id }] });
    expect(await extra.json()).toMatchObject({ error: { code: 'VIGIE_VALIDATION', details: { issues: [{ field: 'views.0.zoneId', reason: { key: 'unknown_field' } }] } } });
    expect((await put('no such screen', config)).status).toBe(404);
    expect((await put('demo wall', config)).status).toBe(200);
    const boot = (await (await get('/bootstrap?token=demo-wall')).json()) as { screen: unknown };
    expect(boot.screen).toEqual({ ...config, lang: 'fr' });
    const list = (await (await fetch(`${node.url}/api/v1/wall/screens`, { headers: sup.headers })).json()) as { screens: { name: string; configured: boolean }[] };
    expect(list.screens).toContainEqual(expect.objectContaining({ name: 'demo wall', configured: true }));
  });

  it("gives a district view its own figures: the alerts and incidents in that zone, the city's beside them", async () => {
    const sup = await login(node.url, 'supervisor');
    const boot = (await (await get('/bootstrap?token=demo-wall')).json()) as { zones: { id: string; geometry: Zone['geometry'] }[] };
    // The first zone's centre lies in it; the alert of the earlier test (43.2965, 5.3698) lies elsewhere.
    const [zone, other] = boot.zones.filter((z) => !geometryContains(z.geometry, 5.3698, 43.2965));
    const inside = geometryLabelPoint(zone!.geometry), outside = geometryLabelPoint(other!.geometry);
    expect(geometryContains(zone!.geometry, inside.lon, inside.lat)).toBe(true);
    const put = await fetch(`${node.url}/api/v1/wall/screens/demo%20wall`, { method: 'PUT', headers: sup.headers, body: JSON.stringify({ views: [{ kind: 'city' }, { kind: 'district', zoneId: zone!.id }] }) });
    expect(put.status).toBe(200);
    const now = Date.now();
    const ev = (id: string, at: { lat: number; lon: number }, ago = 60_000, type = 'incident.theft', severity = 2) =>
      ({ id, source: 'csu', type, time: new Date(now - ago).toISOString(), location: at, severity });
    expect((await postEvents(node.url, [
      ev('d1', inside), ev('d2', inside), ev('d3', outside),
      ev('d4', inside, 7 * 86_400_000 + 600_000), // the same hour a week ago, in the zone: its usual
      ev('d5', inside, 2 * 3_600_000), // two hours ago: not in the last hour
      ev('d6', inside, 30_000, 'accident.car', 5), // a serious accident in the zone: a critical alert there
    ])).status).toBe(202);
    const state = await eventually(async () => {
      const s = (await (await get('/state?token=demo-wall')).json()) as WallState;
      return s.districts?.[zone!.id]?.openBySeverity.critical === 1 ? s : undefined;
    }, 10_000);
    const district = state.districts![zone!.id]!;
    // One incident in the zone in this hour of the week over the weeks the store holds (the earlier test's events make it 2).
    expect(district.incidents).toMatchObject({ lastHour: 3, usual: 0.5, historyWeeks: 2 });
    expect(Object.values(district.openBySeverity).reduce((a, b) => a + b, 0)).toBe(1);
    // The city's figures count everything: the earlier test's alert too, and the incident outside.
    expect(state.figures.incidents.lastHour).toBeGreaterThanOrEqual(5);
    expect(state.figures.openBySeverity.high).toBe(1);
  });

  it('gives a major event under way its own figures: the alerts and incidents in its perimeter', async () => {
    const sup = await login(node.url, 'supervisor');
    const perimeter = { type: 'Polygon' as const, coordinates: [[[5.389, 43.266], [5.403, 43.266], [5.403, 43.274], [5.389, 43.274], [5.389, 43.266]]] };
    const now = Date.now();
    const created = await fetch(`${node.url}/api/v1/calendar`, { method: 'POST', headers: sup.headers, body: JSON.stringify({
      title: 'OM – Lens', kind: 'match', venue: 'Stade Vélodrome', location: { lat: 43.2699, lon: 5.3959 }, perimeter,
      startsAt: new Date(now - 1_800_000).toISOString(), endsAt: new Date(now + 5_400_000).toISOString(), expectedAttendance: 60000,
    }) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const inside = { lat: 43.2699, lon: 5.3959 }, outside = { lat: 43.2965, lon: 5.3698 };
    const ev = (eid: string, at: { lat: number; lon: number }, type = 'incident.fight', severity = 2) =>
      ({ id: eid, source: 'csu', type, time: new Date(now - 60_000).toISOString(), location: at, severity });
    expect((await postEvents(node.url, [
      ev('p1', inside), ev('p2', inside), ev('p3', outside),
      ev('p4', inside, 'accident.car', 5), // a serious accident by the stadium: a critical alert in the perimeter
      ev('p5', outside, 'accident.car', 5), // …and one in town: a critical alert outside it
    ])).status).toBe(202);
    const state = await eventually(async () => {
      const s = (await (await get('/state?token=demo-wall')).json()) as WallState;
      return s.perimeters?.[id]?.openBySeverity.critical === 1 && s.figures.openBySeverity.critical >= 2 ? s : undefined;
    }, 10_000);
    expect(state.events.map((e) => e.id)).toContain(id);
    const mine = state.perimeters![id]!;
    expect(Object.values(mine.openBySeverity).reduce((a, b) => a + b, 0)).toBe(1);
    // The three incidents by the stadium in the last hour (two fights, the accident), none of those in town.
    expect(mine.incidents.lastHour).toBe(3);
    expect(state.figures.incidents.lastHour).toBeGreaterThanOrEqual(5);
  });
});
