import { createHmac } from 'node:crypto';
import type { Event } from '@vigie/rules';

/** Attribute names that hold personal data: their values become pseudonyms. */
export const PERSONAL_ATTRIBUTES = [
  'name', 'firstName', 'lastName', 'fullName', 'victimName', 'suspectName', 'reporterName', 'driverName',
  'phone', 'phoneNumber', 'mobile', 'email', 'plate', 'licensePlate', 'vehiclePlate', 'address', 'birthDate',
];
const PERSONAL = new Set(PERSONAL_ATTRIBUTES.map((a) => a.toLowerCase()));

// French phone numbers (+33 / 0033 / 0 then 9 digits, spaced, dotted or dashed), e-mail
// addresses, and plates (SIV AA-123-AA and the older FNI 123 ABC 13).
const PHONE = /(?:(?:\+|00)33[\s.-]?|\b0)[1-9](?:[\s.-]?\d{2}){4}\b/g;
const EMAIL = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g;
const PLATE_SIV = /\b[A-HJ-NP-TV-Z]{2}[\s-]?\d{3}[\s-]?[A-HJ-NP-TV-Z]{2}\b/gi;
const PLATE_FNI = /\b\d{1,4}[\s-]?[A-Z]{1,3}[\s-]?(?:\d{2}|2A|2B|97\d)\b/g;

/**
 * Personal data becomes HMAC-SHA-256 pseudonyms tagged with the key id (`ps:<keyId>:<hex>`):
 * the same value gives the same pseudonym, so records can still be linked, but nothing
 * leads back to the value without the key. Free text is scrubbed of phones, e-mails, plates.
 */
export class Pseudonymiser {
  constructor(private readonly key: string, private readonly keyId: string) {}

  pseudonym(value: string): string {
    const mac = createHmac('sha256', this.key).update(value.trim().toUpperCase()).digest('hex').slice(0, 32);
    return `ps:${this.keyId}:${mac}`;
  }

  scrubText(text: string): string {
    return text
      .replace(EMAIL, '[email]')
      .replace(PHONE, '[phone]')
      .replace(PLATE_SIV, '[plate]')
      .replace(PLATE_FNI, '[plate]');
  }

  apply(e: Event): Event {
    const out: Event = { ...e };
    if (e.attributes) {
      const attrs: NonNullable<Event['attributes']> = {};
      for (const [k, v] of Object.entries(e.attributes)) attrs[k] = PERSONAL.has(k.toLowerCase()) ? this.pseudonym(String(v)) : v;
      out.attributes = attrs;
    }
    if (e.text !== undefined) out.text = this.scrubText(e.text);
    return out;
  }
}
