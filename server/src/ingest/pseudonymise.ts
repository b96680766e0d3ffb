import crypto, { createHash, createHmac } from 'node:crypto';
import type { Event } from '@vigie/rules';
import type { Key, Keyring } from './keyring.ts';

/**
 * Attribute names that hold personal data, in English and in French (the CCTV centre's export
 * and the city's forms are French): their values become pseudonyms. Names are compared
 * without case, accents, spaces, `_`, `-` or `.` (`Téléphone`, `nom_prenom`, `date-naissance`).
 * `VIGIE_PERSONAL_FIELDS` adds a deployment's own.
 */
export const PERSONAL_ATTRIBUTES = [
  'name', 'firstName', 'lastName', 'fullName', 'victimName', 'suspectName', 'reporterName', 'driverName', 'witnessName', 'callerName',
  'phone', 'phoneNumber', 'mobile', 'email', 'plate', 'licensePlate', 'vehiclePlate', 'address', 'birthDate',
  'nom', 'prénom', 'nomPrénom', 'nomVictime', 'nomSuspect', 'nomTémoin', 'nomRequérant', 'nomAppelant', 'nomConducteur',
  'téléphone', 'tél', 'portable', 'numéroTéléphone', 'mail', 'courriel', 'adresseMail', 'adresse', 'adressePostale',
  'immatriculation', 'plaque', 'plaqueImmatriculation', 'dateNaissance', 'dateDeNaissance',
];

/** An attribute name as the list is compared with it. */
export const normaliseFieldName = (name: string): string =>
  name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[\s_.-]/g, '').toLowerCase();

// French phone numbers (+33 / 0033 / 0 then 9 digits, spaced, dotted or dashed), e-mail
// addresses, and plates (SIV AA-123-AA and the older FNI 123 ABC 13).
const PHONE = /(?:(?:\+|00)33[\s.-]?|\b0)[1-9](?:[\s.-]?\d{2}){4}\b/g;
const EMAIL = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g;
const PLATE_SIV = /\b[A-HJ-NP-TV-Z]{2}[\s-]?\d{3}[\s-]?[A-HJ-NP-TV-Z]{2}\b/gi;
const PLATE_FNI = /\b\d{1,4}[\s-]?[A-Z]{1,3}[\s-]?(?:\d{2}|2A|2B|97\d)\b/g;
const DIGIT = /\d/;
const SPACE = /\s/;

/** HMAC-SHA-256 of a text under a key, hex. */
type Hmac = (text: string) => string;

/**
 * RFC 2104 written out with the one-shot `crypto.hash` (Node ≥ 20.12) and the key's padded
 * blocks computed once: about half the cost of a `createHmac` object per value, same digest
 * (`pseudonymise.test.ts` checks it against `createHmac`). The inner digest is asked for in
 * hex and decoded straight into the outer block: a 'buffer' digest allocates a Buffer per
 * value and made the whole HMAC about 1.6 times slower.
 */
export function hmacSha256(key: string): Hmac {
  if (typeof crypto.hash !== 'function') return (text) => createHmac('sha256', key).update(text).digest('hex');
  const block = Buffer.alloc(64);
  const k = Buffer.from(key, 'utf8');
  (k.length > 64 ? createHash('sha256').update(k).digest() : k).copy(block);
  const ipad = block.map((b) => b ^ 0x36), opad = block.map((b) => b ^ 0x5c);
  const outer = Buffer.alloc(96);
  outer.set(opad);
  return (text) => {
    const inner = Buffer.allocUnsafe(64 + Buffer.byteLength(text, 'utf8'));
    inner.set(ipad);
    inner.write(text, 64, 'utf8');
    outer.write(crypto.hash('sha256', inner, 'hex'), 64, 'hex');
    return crypto.hash('sha256', outer, 'hex');
  };
}

const macs = new WeakMap<Key, Hmac>();
function mac(k: Key, value: string): string {
  let h = macs.get(k);
  if (!h) macs.set(k, (h = hmacSha256(k.key)));
  return `ps:${k.id}:${h(value.trim().toUpperCase()).slice(0, 32)}`;
}

/**
 * Personal data becomes HMAC-SHA-256 pseudonyms tagged with the key id (`ps:<keyId>:<hex>`):
 * the same value gives the same pseudonym, so records can still be linked, but nothing
 * leads back to the value without the key. Free text is scrubbed of phones, e-mails, plates.
 * Rotation: new pseudonyms use the current key; `pseudonyms(value)` also gives those of the
 * previous keys, so that a search still finds records stored before the rotation.
 */
export class Pseudonymiser {
  private readonly current: Key;
  private readonly previous: Key[];
  private readonly personal: ReadonlySet<string>;

  /** `personalFields`: attribute names that hold personal data beside PERSONAL_ATTRIBUTES. */
  constructor(key: string, keyId: string, previous: Key[] = [], personalFields: readonly string[] = []) {
    this.current = { id: keyId, key };
    this.previous = previous.filter((k) => k.id !== keyId);
    this.personal = new Set([...PERSONAL_ATTRIBUTES, ...personalFields].map(normaliseFieldName));
  }

  get keyring(): Keyring {
    return { current: this.current, previous: this.previous };
  }

  pseudonym(value: string): string {
    return mac(this.current, value);
  }

  /** The pseudonyms of a value under every configured key, current first. */
  pseudonyms(value: string): string[] {
    return [this.current, ...this.previous].map((k) => mac(k, value));
  }

  /** The id of the key a stored pseudonym was made with, if it is one. */
  static keyIdOf(pseudonym: string): string | undefined {
    return /^ps:([^:]+):[0-9a-f]{32}$/.exec(pseudonym)?.[1];
  }

  scrubText(text: string): string {
    // An e-mail address holds an "@", phones and plates hold digits: most texts skip the patterns.
    const email = text.includes('@'), digits = DIGIT.test(text);
    if (email) text = text.replace(EMAIL, '[email]');
    if (!digits) return text;
    return text
      .replace(PHONE, '[phone]')
      .replace(PLATE_SIV, '[plate]')
      .replace(PLATE_FNI, '[plate]');
  }

  /**
   * An attribute's text scrubbed as free text is, where it is free text (it holds a space);
   * a single token (an identifier: a lamp, a trip, a stop) only of e-mail addresses, phone
   * numbers and plates of the current format, the old format's pattern being too loose for
   * identifiers (`12AB34`).
   */
  private scrubValue(value: string): string {
    if (SPACE.test(value)) return this.scrubText(value);
    if (value.includes('@')) value = value.replace(EMAIL, '[email]');
    if (!DIGIT.test(value)) return value;
    return value.replace(PHONE, '[phone]').replace(PLATE_SIV, '[plate]');
  }

  /** Names already judged (attribute names are a small vocabulary; bounded all the same). */
  private judged = new Map<string, boolean>();

  /** Whether an attribute of this name holds personal data (its value becomes a pseudonym). */
  isPersonal(name: string): boolean {
    let personal = this.judged.get(name);
    if (personal === undefined) {
      if (this.judged.size >= 10_000) this.judged.clear();
      this.judged.set(name, (personal = this.personal.has(normaliseFieldName(name))));
    }
    return personal;
  }

  /** The event with its personal attributes pseudonymised and its text scrubbed (a copy: `e` is left as it is). */
  apply(e: Event): Event {
    return this.applyInPlace({ ...e, ...(e.attributes ? { attributes: { ...e.attributes } } : {}) });
  }

  /**
   * The event as each previous key would have stored it (a copy each; `e` left as it is), or
   * none when it has no personal attribute or no key was rotated: an event sent again after a
   * rotation is recognised as the one stored before it, not taken for a different one.
   */
  underPreviousKeys(e: Event): Event[] {
    const a = e.attributes;
    if (!this.previous.length || !a || !Object.keys(a).some((k) => this.isPersonal(k))) return [];
    return this.previous.map((key) => this.applyInPlace({ ...e, attributes: { ...a } }, key));
  }

  /** `apply` on an event the caller owns (a fresh copy, as validation gives): changed where it is, not copied. */
  applyInPlace(e: Event, key: Key = this.current): Event {
    const a = e.attributes;
    if (a) {
      for (const k of Object.keys(a)) {
        const v = a[k];
        if (this.isPersonal(k)) a[k] = mac(key, String(v));
        else if (typeof v === 'string') a[k] = this.scrubValue(v);
      }
    }
    if (e.text !== undefined) e.text = this.scrubText(e.text);
    return e;
  }
}
