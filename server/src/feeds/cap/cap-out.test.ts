import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Alert } from '@vigie/rules';
import { sharedData } from '../test-data.ts';
import { alertsAtom } from './atom.ts';
import { capAdapter } from './cap-in.ts';
import { alertToCap, capTime } from './cap-out.ts';
import { validateXml, xmllintAvailable } from './xmllint.ts';

const XSD = sharedData('schemas/cap-1.2.xsd');
const lint = xmllintAvailable();

const alert = (over: Partial<Alert> = {}): Alert => ({
  id: '3f1c2a9e-0d6b-4a57-9a43-2d1e7c9b1a00', ruleId: 'dark-junction', key: 'LUM-13001-0042', status: 'open', severity: 'high',
  title: 'Accident près d\u2019un lampadaire en panne <depuis 3 h> & plus', actions: ['Envoyer une patrouille', 'Prévenir l\u2019éclairage'],
  location: { lat: 43.2965, lon: 5.3698 }, zones: ['13201', 'belsunce'], count: 2,
  firstAt: '2026-11-28T20:14:05.123Z', lastAt: '2026-11-28T20:20:00Z', createdAt: '2026-11-28T20:20:00.5Z', updatedAt: '2026-11-28T20:21:00Z',
  conditionActive: true, assignee: null,
  explanation: { summary: 'lighting.fault then accident.bike within 24h, 32 m apart', conditions: [], numbers: { distance: 32 } },
  evidence: [], history: [], version: 1, seq: 7, ...over,
});

describe('CAP 1.2 out', () => {
  it('writes CAP times with an offset and no fraction, as the schema demands', () => {
    expect(capTime('2026-11-28T20:14:05.123Z')).toBe('2026-11-28T20:14:05-00:00');
  });

  it.skipIf(!lint)('every lifecycle stage validates against the OASIS CAP 1.2 schema', async () => {
    const variants = [
      alert(),
      alert({ version: 3, status: 'acknowledged' }),
      alert({ version: 4, status: 'dismissed', location: null, zones: [] }),
      alert({ version: 2, status: 'resolved', title: 'contrôle \u0001 caractères', actions: [] }),
      alert({ zones: [], translations: { en: { title: 'Accident near a street light <out for 3 h>', actions: ['Send a patrol', 'Tell lighting'] } } }),
    ];
    for (const a of variants) {
      const xml = alertToCap(a, { sender: 'vigie@observatoire.marseille.fr', consoleUrl: 'https://vigie.example' });
      const v = await validateXml(xml, XSD);
      expect(v.output + xml).toMatch(/- validates/);
      expect(v.ok).toBe(true);
    }
    const cancel = alertToCap(variants[2]!, { sender: 'vigie' });
    expect(cancel).toContain('<msgType>Cancel</msgType>');
    expect(cancel).toContain(`<references>vigie,vigie-${variants[2]!.id}-v1,2026-11-28T20:20:00-00:00</references>`);
  });

  it.skipIf(!lint)('the schema check can fail: a CAP with a "Z" time is refused', async () => {
    const bad = alertToCap(alert(), { sender: 'vigie' }).replace(/<sent>[^<]+<\/sent>/, '<sent>2026-11-28T20:21:00Z</sent>');
    expect((await validateXml(bad, XSD)).ok).toBe(false);
  });

  it.skipIf(!lint)('the CAP sample the adapter reads is itself valid CAP 1.2', async () => {
    const xml = readFileSync(new URL('../samples/cap-meteo-orages.xml', import.meta.url), 'utf8');
    expect((await validateXml(xml, XSD)).ok).toBe(true);
  });

  it('gives one <info> per language: the rule\'s own French, then each translation with its title, actions and area', () => {
    const xml = alertToCap(alert({ zones: [], translations: { en: { title: 'Accident near a street light', actions: ['Send a patrol', 'Tell lighting'] } } }), { sender: 'vigie' });
    const infos = [...xml.matchAll(/<info>([\s\S]*?)<\/info>/g)].map((m) => m[1]!);
    expect(infos.map((i) => /<language>(.*)<\/language>/.exec(i)![1])).toEqual(['fr-FR', 'en']);
    expect(infos[1]).toContain('<event>Accident near a street light</event>');
    expect(infos[1]).toContain('<instruction>Send a patrol\nTell lighting</instruction>');
    expect(infos[1]).toContain('<areaDesc>Place of the alert</areaDesc>');
    expect(infos[0]).toContain('<areaDesc>Lieu de l\u2019alerte</areaDesc>');
    expect(alertToCap(alert({ translations: {} }), { sender: 'vigie' }).match(/<info>/g)).toHaveLength(1);
    // A translation without actions: no instruction in that language (the French one's would be French).
    const titled = alertToCap(alert({ translations: { en: { title: 'Accident' } } }), { sender: 'vigie' });
    expect([...titled.matchAll(/<instruction>/g)]).toHaveLength(1);
  });

  it('reads back what it writes (CAP out → CAP in)', () => {
    const xml = alertToCap(alert(), { sender: 'vigie' });
    const d = capAdapter.decode(Buffer.from(xml), { source: 'peer', now: new Date('2026-11-28T20:30:00Z') });
    expect(d.items).toHaveLength(1);
    expect(d.items[0]!.item).toMatchObject({ type: 'event.warning.safety', severity: 4, attributes: { event: alert().title } });
    expect(d.zones).toHaveLength(1);
    // Its English <info> is the same warning: still one event, in French.
    const both = capAdapter.decode(Buffer.from(alertToCap(alert({ translations: { en: { title: 'Accident', actions: [] } } }), { sender: 'vigie' })), { source: 'peer', now: new Date('2026-11-28T20:30:00Z') });
    expect(both.items.map((i) => (i.item as { attributes: { event: string } }).attributes.event)).toEqual([alert().title]);
  });

  it('lists alerts in an Atom feed linking each CAP message', () => {
    const atom = alertsAtom([alert(), alert({ id: 'b', version: 2, updatedAt: '2026-11-28T21:00:00Z' })], {
      selfUrl: 'https://vigie.example/api/v1/alerts.atom', updated: new Date(), alertUrl: (a) => `https://vigie.example/api/v1/alerts/${a.id}.cap`,
    });
    expect(atom).toContain('<updated>2026-11-28T21:00:00.000Z</updated>');
    expect(atom).toContain('href="https://vigie.example/api/v1/alerts/b.cap"');
    expect(atom).toContain('&lt;depuis 3 h&gt; &amp; plus');
    expect(atom).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">');
    expect(atom).toContain('<summary xml:lang="en">lighting.fault then accident.bike');
  });
});
