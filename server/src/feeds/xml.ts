import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decodeWindows1252 } from '@vigie/rules';
import { FeedFormatError } from './adapter.ts';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
});

/**
 * The document's text, read in the encoding its Content-Type's `charset` says, else its XML
 * declaration's (`<?xml … encoding="ISO-8859-1"?>`), else UTF-8 (RFC 7303): an "é" in
 * Latin-1 stays "é", not "�". Text that is not valid in that encoding is refused, not guessed.
 */
export function xmlText(body: Buffer, charset?: string): string {
  const declared = /^(?:\xef\xbb\xbf)?<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(body.subarray(0, 200).toString('latin1'))?.[1];
  const label = (charset?.trim().replace(/^"|"$/g, '') || declared || 'utf-8').toLowerCase();
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    throw new FeedFormatError(`encoding "${label}" is not one this server reads (utf-8, iso-8859-1, windows-1252…)`);
  }
  try {
    const text = decoder.decode(body);
    // Latin-1 and its labels are windows-1252 (WHATWG), which Node before 22 reads wrong for ’, œ and €: by table.
    return decoder.encoding === 'windows-1252' ? decodeWindows1252(body) : text;
  } catch {
    throw new FeedFormatError(`the body is not valid ${label} text${charset ? ', as its Content-Type says' : declared ? ', as its XML declaration says' : ' (XML without an encoding declaration is UTF-8)'}`);
  }
}

/** Parses XML to plain objects (namespace prefixes removed, values kept as text); malformed XML throws a FeedFormatError. `charset`: the Content-Type's (see `xmlText`). */
export function parseXml(body: Buffer | string, charset?: string): Record<string, unknown> {
  const text = typeof body === 'string' ? body : xmlText(body, charset);
  if (!text.trim()) throw new FeedFormatError('the body is empty');
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new FeedFormatError('DOCTYPE and entity declarations are refused');
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    // The validator lists the elements left open as an array's text ("Invalid '[ "Siri", "ServiceDelivery" ]' found."): a body cut short.
    const open = /^Invalid '\[([\s\S]*)\]' found\.$/.exec(valid.err.msg);
    if (open) {
      const names = [...open[1]!.matchAll(/"([^"]+)"/g)].map((m) => `<${m[1]}>`);
      throw new FeedFormatError(`malformed XML: the body ends with ${names.join(', ')} still open (truncated?)`);
    }
    throw new FeedFormatError(`malformed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  }
  try {
    return parser.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new FeedFormatError(`malformed XML: ${(e as Error).message}`);
  }
}

/** The text of an element that may carry attributes (`{'#text': …, '@lang': …}`) or be repeated. */
export function textOf(v: unknown): string | undefined {
  if (Array.isArray(v)) return textOf(v[0]);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v && typeof v === 'object' && '#text' in v) return textOf((v as Record<string, unknown>)['#text']);
  // SIRI Lite wraps values: {"value": …}
  if (v && typeof v === 'object' && 'value' in v) return textOf((v as Record<string, unknown>).value);
  return undefined;
}
