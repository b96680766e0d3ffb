import { inflateRawSync } from 'node:zlib';
import { FeedFormatError } from '../adapter.ts';

/** Largest file read from an archive once inflated (a zip bomb stops here). */
const MAX_ENTRY_BYTES = 64 * 1024 * 1024;

/**
 * Reads the files named in `wanted` (by their name without folder) from a zip archive (stored or
 * deflated entries), through its central directory. Every other entry is skipped unread, whatever
 * its size (a feed's stop_times.txt is often hundreds of MB). Enough for GTFS feeds; anything
 * unreadable in a file read throws a FeedFormatError.
 */
export function readZip(buf: Buffer, wanted: ReadonlySet<string>): Map<string, Buffer> {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > buf.length) throw new FeedFormatError('not a zip archive (no end of central directory)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw new FeedFormatError('zip central directory is truncated');
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20), size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28), extraLen = buf.readUInt16LE(p + 30), commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    p += 46 + nameLen + extraLen + commentLen;
    const file = name.split('/').pop()!;
    if (!wanted.has(file)) continue;
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50) throw new FeedFormatError(`zip entry ${name} is truncated`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + compressed);
    if (data.length !== compressed) throw new FeedFormatError(`zip entry ${name} is truncated`);
    // A stored entry is its compressed bytes; a deflated one whose declared size lies is stopped once inflated past the limit.
    if (size > MAX_ENTRY_BYTES || compressed > MAX_ENTRY_BYTES) throw new FeedFormatError(`zip entry ${name} is larger than ${MAX_ENTRY_BYTES} bytes`);
    try {
      files.set(file, method === 0 ? data : method === 8 ? inflateRawSync(data, { maxOutputLength: MAX_ENTRY_BYTES }) : (() => { throw new Error(`compression method ${method}`); })());
    } catch (e) {
      throw new FeedFormatError(`zip entry ${name} cannot be read: ${(e as Error).message}`);
    }
  }
  return files;
}
