import type { CsvField } from './csv-api.ts';

/** A column name as the server reads it: no accents, lower case, trimmed. */
export const foldColumn = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();

/** The names exports give each field, most usual first (compared folded, and without spaces, dots, `_`, `-`). */
const NAMES: Readonly<Record<CsvField, readonly string[]>> = {
  id: ['numero', 'n°', 'no', 'num', 'numéro', 'id', 'identifiant', 'ref', 'reference', 'référence', 'nummc'],
  type: ['nature', 'type', 'categorie', 'catégorie', 'motif'],
  date: ['date', 'jour'],
  hour: ['heure', 'h', 'hour'],
  time: ['horodatage', 'datetime', 'timestamp', 'dateheure', 'date/heure'],
  lat: ['latitude', 'lat', 'y'],
  lon: ['longitude', 'lon', 'lng', 'long', 'x'],
  severity: ['gravite', 'gravité', 'grav', 'severite', 'sévérité', 'priorite', 'priorité', 'niveau'],
  text: ['observations', 'obs', 'observation', 'description', 'commentaire', 'commentaires', 'texte', 'libelle', 'libellé'],
  // Never guessed: a stop column is mapped on purpose (a column named so held a stop's name as often as its id, and was an attribute before).
  stop: [],
};

const squash = (s: string) => foldColumn(s).replace(/[\s._-]/g, '');
/** The first word of a column name (`Nature de l'événement` → `nature`, `N° main courante` → `n°`). */
const firstWord = (s: string) => foldColumn(s).split(/[\s'’._-]+/)[0] ?? '';

/**
 * The column of the file for each field: the server's default where the file has it, else the
 * first of the usual names the file has (`N°`, `Lat`, `Lon`, `Grav`…), else none (''). A column
 * serves one field at most.
 */
export function guessMapping(columns: readonly string[], defaults: Partial<Record<CsvField, string>>, fields: readonly CsvField[]): Record<CsvField, string> {
  const byName = new Map(columns.map((c) => [squash(c), foldColumn(c)] as const));
  const taken = new Set<string>();
  const out = {} as Record<CsvField, string>;
  const candidates = (f: CsvField) => [defaults[f], ...NAMES[f]].filter((c): c is string => Boolean(c));
  for (const f of fields) {
    const found = candidates(f).map((c) => byName.get(squash(c))).find((c) => c !== undefined && !taken.has(c));
    out[f] = found ?? '';
    if (found) taken.add(found);
  }
  // Then a longer heading that starts with a usual name, as exports write them (`Nature de l'événement`).
  for (const f of fields) {
    if (out[f]) continue;
    const words = candidates(f).map(foldColumn);
    const found = columns.map(foldColumn).find((c) => !taken.has(c) && words.includes(firstWord(c)));
    out[f] = found ?? '';
    if (found) taken.add(found);
  }
  return out;
}
