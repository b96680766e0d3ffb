// A socket.io parser for benchmark clients that only count what they receive: alert frames
// are handed on as the raw text (no JSON.parse), everything else is decoded as socket.io's
// own parser would. It lets one process hold 1000 clients without measuring its own parsing.
// Packet text (inside an engine.io message): <type>[<namespace>,][<ack id>][<json>] (socket.io protocol v5).

type Packet = { type: number; nsp: string; data?: unknown; id?: number };
type Listener = (packet: Packet) => void;

const RAW_PREFIXES = ['2/live,["alert:new",', '2/live,["alert:update",'];

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

  add(text: unknown): void {
    if (typeof text !== 'string') throw new Error('binary packets are not used by /live');
    if (RAW_PREFIXES.some((p) => text.startsWith(p))) {
      const name = text.startsWith(RAW_PREFIXES[0]!) ? 'alert:new' : 'alert:update';
      return this.emit('decoded', { type: 2, nsp: '/live', data: [name, text] });
    }
    let i = 1;
    const type = Number(text[0]);
    let nsp = '/';
    if (text[i] === '/') {
      const comma = text.indexOf(',', i);
      nsp = text.slice(i, comma === -1 ? undefined : comma);
      i = comma === -1 ? text.length : comma + 1;
    }
    let id = '';
    while (i < text.length && text[i]! >= '0' && text[i]! <= '9') id += text[i++];
    const rest = text.slice(i);
    this.emit('decoded', { type, nsp, ...(id ? { id: Number(id) } : {}), ...(rest ? { data: JSON.parse(rest) as unknown } : {}) });
  }

  destroy(): void {
    this.#listeners = [];
  }
}

export const lazyParser = { Encoder, Decoder };

/** How many alert messages a raw alert frame holds (each one starts with `{"seq":`). */
export function countMessages(raw: string): number {
  let n = 0;
  for (let at = raw.indexOf('{"seq":'); at !== -1; at = raw.indexOf('{"seq":', at + 7)) n++;
  return n;
}
