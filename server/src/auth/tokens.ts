import { createHash, randomBytes } from 'node:crypto';

/** Tokens and session ids are stored as their SHA-256: a database leak does not leak them. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');
export const newToken = (bytes = 32) => randomBytes(bytes).toString('base64url');
