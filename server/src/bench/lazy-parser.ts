// A socket.io parser for benchmark clients that only count what they receive: JSON alert
// frames are handed on as the raw text (no JSON.parse), packed ones with only their clear
// header read (the body stays compressed); everything else is decoded as socket.io's own
// parser would. It lets one
// process hold 1000 clients without measuring its own parsing.
// Packet text (inside an engine.io message): <type>[<attachments>-][<namespace>,][<ack id>][<json>]
// (socket.io protocol v5); a binary packet (type 5) is followed by its attachments, each in
// its own message, which replace the `{"_placeholder":true,"num":n}` objects of the JSON.

type Packet = { type: number; nsp: string; data?: unknown; id?: number };
type Listener = (packet: Packet) => void;

const RAW_PREFIXES = ['2/live,["alert:new",', '2/live,["alert:update",'];
const PACKED_PREFIX = '2/live,["alert:packed",';

class Encoder {
  encode(p: Packet): string[] {
    const nsp = p.nsp && p.nsp !== '/' ? `${p.nsp},` : '';
    return [`${p.type}${nsp}${p.id ?? ''}${p.data === undefined ? '' : JSON.stringify(p.data)}`];
  }
}

class Decoder {
  #listeners: Listener[] = [];

  on(event: string, fn: Listener): this {
    if (event === 'decoded') this.#listeners.push(fn);
    return this;
  }
  off(): this {
    this.#listeners = [];
    return this;
  }
  removeListener(): this {
    return this.off();
  }
  emit(_event: string, p: Packet): void {
    for (const l of this.#listeners) l(p);
  }

  #binary: { packet: Packet; buffers: unknown[]; expected: number } | undefined;

  add(text: unknown): void {
    if (typeof text !== 'string') {
      const b = this.#binary;
      if (!b) throw new Error('an attachment without its packet');
      b.buffers.push(text);
      if (b.buffers.length < b.expected) return;
      this.#binary = undefined;
      const data = (b.packet.data as unknown[]).map((x) => (isPlaceholder(x) ? b.buffers[x.num] : x));
      return this.emit('decoded', { ...b.packet, type: b.packet.type === 5 ? 2 : 3, data });
    }
    if (text.startsWith(PACKED_PREFIX)) {
      // the header is a flat object: it ends at the first closing brace
      const header = JSON.parse(text.slice(PACKED_PREFIX.length, text.indexOf('}', PACKED_PREFIX.length) + 1)) as unknown;
      return this.emit('decoded', { type: 2, nsp: '/live', data: ['alert:packed', header, text] });
    }
    if (RAW_PREFIXES.some((p) => text.startsWith(p))) {
      const name = text.startsWith(RAW_PREFIXES[0]!) ? 'alert:new' : 'alert:update';
      return this.emit('decoded', { type: 2, nsp: '/live', data: [name, text] });
    }
    let i = 1;
    const type = Number(text[0]);
    let attachments = 0;
    if (type === 5 || type === 6) {
      const dash = text.indexOf('-', i);
      attachments = Number(text.slice(i, dash));
      i = dash + 1;
    }
    let nsp = '/';
    if (text[i] === '/') {
      const comma = text.indexOf(',', i);
      nsp = text.slice(i, comma === -1 ? undefined : comma);
      i = comma === -1 ? text.length : comma + 1;
    }
    let id = '';
    while (i < text.length && text[i]! >= '0' && text[i]! <= '9') id += text[i++];
    const rest = text.slice(i);
    const packet: Packet = { type, nsp, ...(id ? { id: Number(id) } : {}), ...(rest ? { data: JSON.parse(rest) as unknown } : {}) };
    if (attachments > 0) this.#binary = { packet, buffers: [], expected: attachments };
    else this.emit('decoded', packet);
  }

  destroy(): void {
    this.#listeners = [];
  }
}

const isPlaceholder = (x: unknown): x is { _placeholder: true; num: number } =>
  typeof x === 'object' && x !== null && (x as { _placeholder?: unknown })._placeholder === true;

export const lazyParser = { Encoder, Decoder };

/** How many alert messages a raw alert frame holds (each one starts with `{"seq":`). */
export function countMessages(raw: string): number {
  let n = 0;
  for (let at = raw.indexOf('{"seq":'); at !== -1; at = raw.indexOf('{"seq":', at + 7)) n++;
  return n;
}
