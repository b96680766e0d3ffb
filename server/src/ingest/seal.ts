import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring.ts';

const derive = (key: string) => createHash('sha256').update(`vigie-dead-letter:${key}`).digest();

/**
 * Raw payloads kept for replay may hold personal data: they are stored sealed with AES-256-GCM
 * under a key derived from the pseudonym key (which lives outside the database), tagged with
 * its key id so that a rotation keeps older ones readable while the old key is configured.
 */
export class Sealer {
  constructor(private readonly ring: Keyring) {}

  seal(plain: Buffer): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', derive(this.ring.current.key), iv);
    const body = Buffer.concat([c.update(plain), c.final()]);
    return `${this.ring.current.id}.${iv.toString('base64url')}.${c.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
  }

  /** The plain payload; throws when the key is gone or the text was altered. */
  unseal(text: string): Buffer {
    const [id, iv, tag, body] = text.split('.');
    const key = [this.ring.current, ...this.ring.previous].find((k) => k.id === id);
    if (!key || !iv || !tag || body === undefined) throw new Error(`cannot unseal: key "${id}" is not configured`);
    const d = createDecipheriv('aes-256-gcm', derive(key.key), Buffer.from(iv, 'base64url'));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]);
  }
}
