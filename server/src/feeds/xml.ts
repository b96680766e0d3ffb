import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { FeedFormatError } from './adapter.ts';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
});

/** Parses XML to plain objects (namespace prefixes removed, values kept as text); malformed XML throws a FeedFormatError. */
export function parseXml(body: Buffer | string): Record<string, unknown> {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (!text.trim()) throw new FeedFormatError('the body is empty');
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new FeedFormatError('DOCTYPE and entity declarations are refused');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new FeedFormatError(`malformed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
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
