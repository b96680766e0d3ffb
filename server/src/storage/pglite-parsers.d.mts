import type { ParserOptions } from '@electric-sql/pglite';

export declare function parseTimestamptz(text: string): Date | number;
export declare const PARSERS: ParserOptions;
