// How a Uint8Array parameter reaches PGlite: as it is, in the binary format (its type's binary
// input), not through PGlite's text serialisers, so that a large JSON document (`jsonbParam`)
// or a timestamptz[] (`timestamptzArrayParam`) skips a per-character JavaScript loop. Plain
// JavaScript: PGlite in process (pglite-client.ts) and on its thread (pglite-worker.mjs) share it.
import { types } from '@electric-sql/pglite';

/** The type oid of timestamptz[]. */
export const TIMESTAMPTZ_ARRAY_OID = 1185;

export const isBinary = (x) => x instanceof Uint8Array;
const passBinary = (text) => (x) => (isBinary(x) ? x : text(x));

/** Query options for a statement with a binary parameter. */
export const BINARY = {
  serializers: {
    [types.JSONB]: passBinary(types.serializers[types.JSONB]),
    [types.BYTEA]: passBinary(types.serializers[types.BYTEA]),
    [TIMESTAMPTZ_ARRAY_OID]: passBinary(types.serializers[TIMESTAMPTZ_ARRAY_OID] ?? String),
  },
};
