/**
 * A rule's title without its template's placeholders, for a list of rules: the one that ends it goes
 * with its separator, the others become "…" ("Afflux en sortie de match — {zone}" →
 * "Afflux en sortie de match", "{count} signalements en {window} — {zone}" → "… signalements en …").
 */
export function ruleTitleText(title: string): string {
  const text = title.replace(/\s*[—–:-]\s*\{[^}]*\}\s*$/, '').replace(/\{[^}]*\}/g, '…').trim();
  return text && text !== '…' ? text : title;
}
