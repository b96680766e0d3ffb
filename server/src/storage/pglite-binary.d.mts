import type { QueryOptions } from '@electric-sql/pglite';

export declare const TIMESTAMPTZ_ARRAY_OID: 1185;
export declare const isBinary: (x: unknown) => x is Uint8Array;
export declare const BINARY: QueryOptions;
