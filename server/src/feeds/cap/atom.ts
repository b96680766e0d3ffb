import type { Alert } from '@vigie/rules';
import { xmlEscape } from './cap-out.ts';

export type AtomOptions = { selfUrl: string; alertUrl: (a: Alert) => string; updated: Date };

/**
 * An Atom feed of alerts, each entry linking to its CAP 1.2 message (the usual CAP index). Its
 * titles are the rules' own (French: `xml:lang`), the summaries the engine's English sentence.
 */
export function alertsAtom(alerts: Alert[], o: AtomOptions): string {
  const updated = alerts.reduce((m, a) => (a.updatedAt > m ? a.updatedAt : m), '') || o.updated.toISOString();
  const entries = alerts.map((a) => `  <entry>
    <id>urn:vigie:alert:${xmlEscape(a.id)}:v${a.version}</id>
    <title>${xmlEscape(a.title)}</title>
    <updated>${new Date(a.updatedAt).toISOString()}</updated>
    <summary xml:lang="en">${xmlEscape(a.explanation.summary)}</summary>
    <category term="${xmlEscape(a.severity)}"/>
    <link rel="alternate" type="application/cap+xml" href="${xmlEscape(o.alertUrl(a))}"/>
  </entry>
`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
  <id>${xmlEscape(o.selfUrl)}</id>
  <title>Vigie : alertes</title>
  <updated>${new Date(updated).toISOString()}</updated>
  <author><name>Vigie</name></author>
  <link rel="self" type="application/atom+xml" href="${xmlEscape(o.selfUrl)}"/>
${entries}</feed>
`;
}
