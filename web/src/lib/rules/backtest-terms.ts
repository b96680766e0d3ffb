import { eventTypeLabel } from '../format/event-type.ts';
import { translate, type Lang } from '../i18n/translate.ts';

/** The zone kinds a reader has a word for after "par" / "per" (a rule's `groupBy: zone:<kind>`), as `rules.zoneKind.<kind>` says them. */
const ZONE_KINDS = ['sector', 'quartier', 'arrondissement', 'district', 'perimeter', 'warning'] as const;
const namedKind = (kind: string): kind is (typeof ZONE_KINDS)[number] => (ZONE_KINDS as readonly string[]).includes(kind);

/** A zone kind as a reader says it ("secteur" for `sector`); another kind as "zone (kind)". */
export function zoneKindLabel(kind: string, lang: Lang): string {
  return namedKind(kind) ? translate(lang, `rules.zoneKind.${kind}`) : translate(lang, 'rules.zoneKind.other', { kind });
}

const typeWord = (type: string, lang: Lang) => eventTypeLabel(type, lang) ?? type;

/**
 * One of a rule's conditions, as an explanation lists it, in the console's words rather than the
 * rule language's: "par zone:sector" → "par secteur", "type = incident.assault" → "type = agression",
 * a zone's id → its name. The rest as the engine wrote it.
 */
export function readableCondition(line: string, lang: Lang, zoneNames?: ReadonlyMap<string, string>): string {
  return line
    .replace(/\b(par|per) zone:([\w-]+)/g, (_, by: string, kind: string) => `${by} ${zoneKindLabel(kind, lang)}`)
    .replace(/\btype (=|≠|parmi|hors de|in|not in) (\[[^\]]*\]|[\w.-]+)/g, (_, op: string, value: string) => {
      const list = value.startsWith('[') ? value.slice(1, -1).split(',').map((v) => v.trim()).filter(Boolean) : null;
      return `type ${op} ${list ? `[${list.map((v) => typeWord(v, lang)).join(', ')}]` : typeWord(value, lang)}`;
    })
    .replace(/\b(dans la zone|dans les zones|in zones?) (\[[^\]]*\]|[^\s,]+(?:, [^\s,]+)*)/g, (whole, words: string, ids: string) => {
      if (!zoneNames?.size) return whole;
      const list = ids.startsWith('[') ? ids.slice(1, -1).split(',') : ids.split(',');
      return `${words} ${list.map((id) => zoneNames.get(id.trim()) ?? id.trim()).join(', ')}`;
    });
}

/**
 * The events behind an alert, said as the console says them elsewhere: the event type's label
 * and its source, repeated ones counted ("agression (csu) × 3"), not "csu/incident.assault, …".
 */
export function evidenceText(evidence: readonly { source: string; type: string }[], lang: Lang): string {
  const counts = new Map<string, number>();
  for (const e of evidence) {
    const text = `${typeWord(e.type, lang)} (${e.source})`;
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  return [...counts].map(([text, n]) => (n > 1 ? `${text} × ${n}` : text)).join(', ');
}
