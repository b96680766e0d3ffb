import type { Alert, Severity } from '@vigie/rules';

/** XML text and attribute escaping. */
export const xmlEscape = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!)
  // characters XML 1.0 forbids
  .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');

/** CAP's dateTime: seconds, an explicit offset, no "Z" and no fraction; UTC is written `-00:00`, as CAP 1.2 §3.3.2 requires (`2026-11-28T21:14:05-00:00`). */
export const capTime = (iso: string) => `${new Date(iso).toISOString().slice(0, 19)}-00:00`;

/** CAP identifiers and senders: no spaces, commas or restricted characters. */
const capId = (s: string) => s.replace(/[\s,<&]/g, '_');

const SEVERITY: Record<Severity, string> = { critical: 'Extreme', high: 'Severe', medium: 'Moderate', low: 'Minor', info: 'Minor' };

/** An area's description where an alert lies in no zone: in French, else by language (other languages get the French). */
const UNPLACED_FR = 'Lieu de l\u2019alerte';
const UNPLACED: Record<string, string> = { en: 'Place of the alert' };

export type CapOptions = { sender: string; consoleUrl?: string };

/** The CAP identifier of an alert at one version. */
export const capIdentifier = (a: Pick<Alert, 'id' | 'version'>) => capId(`vigie-${a.id}-v${a.version}`);

/**
 * An alert as a CAP 1.2 message. Its first version is an `Alert`; later versions are `Update`s
 * referencing the first; a resolved or dismissed alert is a `Cancel`.
 */
export function alertToCap(a: Alert, o: CapOptions): string {
  const sender = capId(o.sender);
  const closed = a.status === 'resolved' || a.status === 'dismissed';
  const msgType = closed ? 'Cancel' : a.version > 1 ? 'Update' : 'Alert';
  const el = (name: string, value: string | undefined, indent = '    ') => (value === undefined || value === '' ? '' : `${indent}<${name}>${xmlEscape(value)}</${name}>\n`);
  const area = (unplaced: string) => a.location
    ? `    <area>\n${el('areaDesc', a.zones.length ? a.zones.join(', ') : unplaced, '      ')}${el('circle', `${a.location.lat.toFixed(6)},${a.location.lon.toFixed(6)} 0.1`, '      ')}    </area>\n`
    : '';
  const parameters = [['ruleId', a.ruleId], ['status', a.status], ['count', String(a.count)], ['version', String(a.version)]]
    .map(([k, v]) => `    <parameter>\n${el('valueName', k, '      ')}${el('value', v, '      ')}    </parameter>\n`).join('');
  // One <info> per language (CAP 1.2 §3.2.2): the rule's own French, then each of its translations
  // (a translation without actions has no <instruction>: the French one's are in French).
  const info = (language: string, title: string, actions: string[], unplaced: string) => `  <info>
    <language>${xmlEscape(language)}</language>
    <category>Safety</category>
${el('event', title)}    <responseType>${closed ? 'AllClear' : 'Monitor'}</responseType>
    <urgency>${closed ? 'Past' : 'Immediate'}</urgency>
    <severity>${SEVERITY[a.severity]}</severity>
    <certainty>${a.status === 'dismissed' ? 'Unlikely' : 'Observed'}</certainty>
${el('effective', capTime(a.firstAt))}${el('onset', capTime(a.firstAt))}${el('senderName', 'Vigie')}${el('headline', title.slice(0, 160))}${el('description', a.explanation.summary)}${el('instruction', actions.join('\n'))}${o.consoleUrl ? el('web', `${o.consoleUrl}/alerts/${encodeURIComponent(a.id)}`) : ''}${parameters}${area(unplaced)}  </info>
`;
  const infos = info('fr-FR', a.title, a.actions, UNPLACED_FR)
    + Object.entries(a.translations ?? {}).map(([lang, t]) => info(lang, t.title, t.actions ?? [], UNPLACED[lang] ?? UNPLACED_FR)).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
${el('identifier', capIdentifier(a), '  ')}${el('sender', sender, '  ')}${el('sent', capTime(a.updatedAt), '  ')}  <status>Actual</status>
  <msgType>${msgType}</msgType>
  <scope>Restricted</scope>
  <restriction>Usage interne : observatoire de sécurité publique</restriction>
${msgType === 'Alert' ? '' : el('references', `${sender},${capIdentifier({ id: a.id, version: 1 })},${capTime(a.createdAt)}`, '  ')}${el('incidents', capId(a.id), '  ')}${infos}</alert>
`;
}
