import { afterAll, beforeAll, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { assault, eventually, liveClient, login, postEvents, startNode, type LiveClient, type Running } from '../testing/harness.ts';
import { countAlerts, countingClient } from './counting-client.ts';

let node: Running;
const open: (LiveClient | WebSocket)[] = [];
beforeAll(async () => { node = await startNode(); });
afterAll(async () => {
  for (const c of open) c.close();
  await node?.stop();
});

it('counts, without decoding, the alert messages a socket.io client receives', async () => {
  const { cookie } = await login(node.url, 'operator');
  const reference = await liveClient(node.url, { cookie });
  open.push(reference);
  let received = 0;
  reference.on('alert:new', (ms) => { received += ms.length; });
  reference.on('alert:update', (ms) => { received += ms.length; });
  const counted = { json: 0, packed: 0 };
  open.push(await countingClient(`${node.url}/live`, cookie, 'json', (n) => { counted.json += n; }));
  open.push(await countingClient(`${node.url}/live`, cookie, 'deflate-raw', (n) => { counted.packed += n; }));
  await postEvents(node.url, [assault('count-1'), assault('count-2'), assault('count-3')]);
  await eventually(() => (received >= 3 && counted.json === received && counted.packed === received ? true : undefined));
  expect(counted).toEqual({ json: received, packed: received });
});

it('is refused like any client without a session', async () => {
  await expect(countingClient(`${node.url}/live`, 'vigie_sid=nope', 'json', () => {})).rejects.toThrow(/refused/);
});

it('reads the count of a packed frame from its clear header only', () => {
  expect(countAlerts(Buffer.from('42/live,["alert:packed",{"created":12,"updated":3,"firstSeq":1,"lastSeq":15},"…"]'))).toBe(15);
  expect(countAlerts(Buffer.from('42/live,["alert:new",[{"seq":1,"version":1},{"seq":2,"version":1}]]'))).toBe(2);
  expect(countAlerts(Buffer.from('42/live,["feed:health",{"seq":1}]'))).toBe(0);
});
