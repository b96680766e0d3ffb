import { isUtf8 } from 'node:buffer';
import express from 'express';
import { charsetOf } from './charset.ts';

/** What `jsonBody` throws for a body that is not UTF-8 (see `bodyError`). */
export const NOT_UTF8 = 'entity.not.utf8';

/**
 * `express.json`, refusing a body that is not UTF-8 (JSON is, RFC 8259 §8.1): decoded as it
 * stands, a Latin-1 "é" would be stored as "�", the text lost.
 */
export function jsonBody(options: Parameters<typeof express.json>[0] = {}) {
  return express.json({
    ...options,
    verify: (req, _res, buf) => {
      // body-parser would read any utf-* charset; JSON is UTF-8 (another one said is refused as such, 415).
      const charset = charsetOf(req.headers['content-type'])?.toLowerCase();
      if (charset && charset !== 'utf-8' && charset !== 'utf8') throw Object.assign(new Error(`charset "${charset}": JSON is UTF-8 (RFC 8259)`), { type: 'charset.unsupported', status: 415 });
      if (!isUtf8(buf)) throw Object.assign(new Error('the body is not UTF-8, as JSON must be: send it as UTF-8'), { type: NOT_UTF8, status: 400 });
    },
  });
}
