import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startNode, type Running } from '../../testing/harness.ts';
import { readGtfsStatic } from './gtfs-static.ts';
import { readZip } from './zip.ts';

/** Already deflated bytes, with the uncompressed size the archive declares for them (true or not). */
type Raw = { deflated: Buffer; size: number };

/** A zip archive of the given files, deflated (as zip tools write them), or of raw entries. */
function zip(files: Record<string, string | Buffer | Raw>): Buffer {
  const locals: Buffer[] = [], centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const plain = typeof content === 'string' ? Buffer.from(content) : Buffer.isBuffer(content) ? content : undefined;
    const data = plain ? deflateRawSync(plain) : (content as Raw).deflated;
    const size = plain ? plain.length : (content as Raw).size;
    const crc = plain ? crc32(plain) : 0;
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const STOPS = 'stop_id,stop_name,stop_lat,stop_lon\nS1,Gare,43.30,5.38\nS2,Port,43.29,5.37\nS1,Gare bis,44.00,6.00\n';
const ROUTES = 'route_id,route_short_name,route_long_name,route_type,route_color\nR1,1,Gare - Port,3,FF0000\nR1,1b,Doublon,0,00FF00\n';
const TRIPS = 'route_id,trip_id,shape_id\nR1,T1,SH1\nR1,T1,SH2\n';
const SHAPES = 'shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence\nSH1,43.30,5.38,1\nSH1,43.29,5.37,2\nSH1,50.00,9.00,1\nSH2,43.00,5.00,1\nSH2,43.10,5.10,2\n';

/** A stop_times.txt of `bytes` bytes (repeated rows: about 80 kB deflated for 80 MB), as big operators' are. */
function stopTimes(bytes: number): Buffer {
  const header = 'trip_id,arrival_time,departure_time,stop_id,stop_sequence\n';
  const row = 'T1,08:00:00,08:00:00,S1,1\n';
  return Buffer.concat([Buffer.from(header), Buffer.alloc(bytes - header.length, row)]);
}

describe('readGtfsStatic', () => {
  it('keeps the first row of each stop, route, trip and shape point, and refuses the others with their file, line and field', () => {
    const g = readGtfsStatic(zip({ 'stops.txt': STOPS, 'routes.txt': ROUTES, 'trips.txt': TRIPS, 'shapes.txt': SHAPES }));
    expect(g.stops).toEqual([{ id: 'S1', name: 'Gare', lat: 43.3, lon: 5.38 }, { id: 'S2', name: 'Port', lat: 43.29, lon: 5.37 }]);
    expect(g.routes).toEqual([{ id: 'R1', shortName: '1', longName: 'Gare - Port', type: 3, color: '#FF0000', shapes: [[[5.38, 43.3], [5.37, 43.29]]] }]);
    expect(g.rejected).toEqual([
      { file: 'stops.txt', line: 4, message: 'stop_id: S1 is already at line 2 (kept)' },
      { file: 'shapes.txt', line: 4, message: 'shape_pt_sequence: 1 of shape SH1 is already at line 2 (kept)' },
      { file: 'trips.txt', line: 3, message: 'trip_id: T1 is already at line 2 (kept)' },
      { file: 'routes.txt', line: 3, message: 'route_id: R1 is already at line 2 (kept)' },
    ]);
  });

  it('counts lines as the file does (blank lines, CRLF); a row refused for another reason leaves its id to the next', () => {
    const stops = 'stop_id,stop_name,stop_lat,stop_lon\r\n\r\nS1,Nowhere,,\r\nS1,Gare,43.30,5.38\r\nS1,Gare bis,44,6\r\n';
    const g = readGtfsStatic(zip({ 'stops.txt': stops, 'routes.txt': 'route_id,route_type\n\nR1,3\nR2,bus\n' }));
    expect(g.stops).toEqual([{ id: 'S1', name: 'Gare', lat: 43.3, lon: 5.38 }]);
    expect(g.routes.map((r) => r.id)).toEqual(['R1']);
    expect(g.rejected).toEqual([
      { file: 'stops.txt', line: 3, message: 'stop_lat/stop_lon: not a position' },
      { file: 'stops.txt', line: 5, message: 'stop_id: S1 is already at line 4 (kept)' },
      { file: 'routes.txt', line: 4, message: 'route_type: not a number' },
    ]);
  });
});

describe('readZip', () => {
  it('inflates only the files asked for: the others are skipped unread, whatever their size', () => {
    // Declared 900 MB and not even deflate data: inflated, it would be refused twice over.
    const files = readZip(zip({ 'feed/stops.txt': STOPS, 'feed/stop_times.txt': { deflated: Buffer.from('not deflate data'), size: 900_000_000 } }), new Set(['stops.txt']));
    expect([...files.keys()]).toEqual(['stops.txt']);
    expect(files.get('stops.txt')!.toString()).toBe(STOPS);
  });

  it('still refuses a file it reads that is over 64 MiB, declared so or found so', () => {
    const big = deflateRawSync(stopTimes(65 * 1024 * 1024));
    expect(() => readZip(zip({ 'stops.txt': { deflated: big, size: 65 * 1024 * 1024 } }), new Set(['stops.txt']))).toThrow('zip entry stops.txt is larger than 67108864 bytes');
    expect(() => readZip(zip({ 'stops.txt': { deflated: big, size: 1000 } }), new Set(['stops.txt']))).toThrow(/zip entry stops.txt cannot be read/);
    expect(() => readZip(zip({ 'stops.txt': { deflated: Buffer.from('not deflate data'), size: 100 } }), new Set(['stops.txt']))).toThrow(/zip entry stops.txt cannot be read/);
  });
});

describe('POST /api/v1/feeds/gtfs-static', () => {
  let node: Running;
  let admin: Awaited<ReturnType<typeof login>>;
  beforeAll(async () => {
    node = await startNode();
    admin = await login(node.url, 'admin');
  });
  afterAll(async () => { await node?.stop(); });

  const post = async (body: Buffer) => {
    const res = await fetch(`${node.url}/api/v1/feeds/gtfs-static?source=probe`, { method: 'POST', headers: { ...admin.headers, 'content-type': 'application/zip' }, body });
    return { status: res.status, body: await res.json() as Record<string, unknown> };
  };

  it('imports a feed with duplicate ids (the first row kept, the others refused) and a stop_times.txt of 80 MB it does not read, quickly', async () => {
    const body = zip({ 'stops.txt': STOPS, 'routes.txt': ROUTES, 'trips.txt': TRIPS, 'shapes.txt': SHAPES, 'stop_times.txt': stopTimes(80_000_000) });
    expect(body.length).toBeLessThan(1_000_000);
    const started = Date.now();
    const { status, body: answer } = await post(body);
    expect(Date.now() - started).toBeLessThan(3000);
    expect([status, answer]).toEqual([200, {
      stops: 2, routes: 1, shapes: 1,
      rejected: [
        { file: 'stops.txt', line: 4, message: 'stop_id: S1 is already at line 2 (kept)' },
        { file: 'shapes.txt', line: 4, message: 'shape_pt_sequence: 1 of shape SH1 is already at line 2 (kept)' },
        { file: 'trips.txt', line: 3, message: 'trip_id: T1 is already at line 2 (kept)' },
        { file: 'routes.txt', line: 3, message: 'route_id: R1 is already at line 2 (kept)' },
      ],
    }]);
    const { routes } = await (await fetch(`${node.url}/api/v1/feeds/gtfs-static/routes?source=probe`, { headers: admin.headers })).json() as { routes: unknown[] };
    expect(routes).toEqual([{ feed: 'probe', id: 'R1', shortName: '1', longName: 'Gare - Port', type: 3, color: '#FF0000', shapes: [[[5.38, 43.3], [5.37, 43.29]]] }]);
    expect(await node.db.db.query("SELECT id, name, lat, lon FROM places WHERE kind = 'transit-stop' AND id LIKE 'probe:%' ORDER BY id")).toEqual([
      { id: 'probe:S1', name: 'Gare', lat: 43.3, lon: 5.38 },
      { id: 'probe:S2', name: 'Port', lat: 43.29, lon: 5.37 },
    ]);
  });

  it('still refuses a feed whose stops.txt is over 64 MiB', async () => {
    const { status, body } = await post(zip({ 'stops.txt': { deflated: deflateRawSync(stopTimes(1000)), size: 70_000_000 }, 'routes.txt': ROUTES }));
    expect([status, body]).toMatchObject([400, { error: { code: 'VIGIE_FEED_MALFORMED', message: 'zip entry stops.txt is larger than 67108864 bytes' } }]);
  });
});
