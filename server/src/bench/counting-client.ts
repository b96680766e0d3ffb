// A load client for the fan-out benchmark: a real WebSocket connection to the live server
// that speaks just enough of Engine.IO v4 and Socket.IO v5 to join `/live` and stay
// connected (it answers the server's pings), and counts the alert messages in every frame
// without decoding them. It receives every byte over TCP as a browser would; it only skips
// the client-side work (UTF-8 checks, strings, JSON, events) so that 1000 of them on the
// benchmark machine's own cores do not drown the server being measured. The probes that
// time the messages are real socket.io clients (fanout-clients.ts).
import WebSocket from 'ws';
import type { LiveEncoding } from '@vigie/rules';

const PING = 0x32; // '2'
const MESSAGE = 0x34; // '4'
const PACKED = Buffer.from('42/live,["alert:packed",');
const ALERT_FRAMES = [Buffer.from('42/live,["alert:new",'), Buffer.from('42/live,["alert:update",')];
const SEQ = Buffer.from('{"seq":');
const CREATED = Buffer.from('"created":');
const UPDATED = Buffer.from('"updated":');

/** Alert messages in one frame (0 for any other frame). */
export function countAlerts(frame: Buffer): number {
  if (startsWith(frame, PACKED)) return headerNumber(frame, CREATED) + headerNumber(frame, UPDATED);
  if (!ALERT_FRAMES.some((p) => startsWith(frame, p))) return 0;
  let n = 0;
  for (let at = frame.indexOf(SEQ); at !== -1; at = frame.indexOf(SEQ, at + SEQ.length)) n++;
  return n;
}

const startsWith = (b: Buffer, prefix: Buffer) => b.length >= prefix.length && b.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;

/** A whole number after `name` in the packed frame's clear header (which comes first). */
function headerNumber(frame: Buffer, name: Buffer): number {
  let i = frame.indexOf(name, PACKED.length) + name.length;
  let n = 0;
  for (let c = frame[i]!; c >= 0x30 && c <= 0x39; c = frame[++i]!) n = n * 10 + c - 0x30;
  return n;
}

/**
 * Connects to `/live` (websocket transport only) and calls `onAlerts` with the number of
 * alert messages of each alert frame. Resolves once the namespace accepted the client.
 */
export function countingClient(url: string, cookie: string, encoding: LiveEncoding, onAlerts: (n: number) => void): Promise<WebSocket> {
  const u = new URL(url);
  const ws = new WebSocket(`ws://${u.host}/socket.io/?EIO=4&transport=websocket`, { headers: { cookie }, perMessageDeflate: false, skipUTF8Validation: true });
  return new Promise((resolve, reject) => {
    let joined = false;
    ws.on('message', (data: Buffer) => {
      if (data[0] === MESSAGE) {
        if (joined) {
          const n = countAlerts(data);
          if (n) onAlerts(n);
        } else if (data[1] === 0x30 /* CONNECT */) {
          joined = true;
          resolve(ws);
        } else if (data[1] === 0x34 /* CONNECT_ERROR */) reject(new Error(`refused by ${u.pathname}: ${data.toString()}`));
      } else if (data[0] === PING) ws.send('3');
      else if (data[0] === 0x30 /* engine.io OPEN */) ws.send(`40${u.pathname},${JSON.stringify({ encoding })}`);
    });
    ws.once('error', reject);
    ws.once('close', () => reject(new Error('closed before joining')));
  });
}
