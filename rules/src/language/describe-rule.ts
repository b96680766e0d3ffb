import { describeFilter, type DescribeLang } from './describe-filter.ts';
import type { ActiveDuring, RuleDefinition } from './rule-schema.ts';

type Unit = 's' | 'm' | 'h' | 'd' | 'w';
const UNITS: Record<DescribeLang, Record<Unit, string>> = {
  fr: { s: 's', m: 'min', h: 'h', d: 'j', w: 'sem.' },
  en: { s: 's', m: 'min', h: 'h', d: 'd', w: 'wk' },
};
/** A decimal number as the language writes it (0,001 in French). */
const decimal = (n: number | string, lang: DescribeLang) => (lang === 'fr' ? String(n).replace('.', ',') : String(n));

/** "10m" as a reader reads it ("10 min", not ten metres; "7 j" in French); other texts as they are. */
function durationIn(text: string, lang: DescribeLang): string {
  const m = /^(\d+(?:\.\d+)?)(s|m|h|d|w)$/.exec(text.trim());
  return m ? `${decimal(m[1]!, lang)} ${UNITS[lang][m[2] as Unit]}` : text;
}

/** "300m" as "300 m", "1.5km" as "1,5 km" in French; other texts as they are. */
function distanceIn(text: string, lang: DescribeLang): string {
  const m = /^(\d+(?:\.\d+)?)(m|km)$/.exec(text.trim());
  return m ? `${decimal(m[1]!, lang)} ${m[2]}` : text;
}

const PHASES_FR = { arrival: 'arrivée', during: 'pendant', departure: 'départ' } as const;

function describeActive(a: ActiveDuring, lang: DescribeLang): string {
  if (lang === 'fr') return 'cron' in a ? `actif selon la planification « ${a.cron} »` : `actif pendant le calendrier ${a.calendar}${a.phase ? ` (${PHASES_FR[a.phase]})` : ''}`;
  return 'cron' in a ? `active on schedule "${a.cron}"` : `active during calendar ${a.calendar}${a.phase ? ` (${a.phase})` : ''}`;
}

/** The rule's conditions in plain words, one line per block: what an explanation lists as "conditions met". */
export function describeConditions(def: RuleDefinition, lang: DescribeLang): string[] {
  const fr = lang === 'fr';
  const d = (t: string) => durationIn(t, lang), km = (t: string) => distanceIn(t, lang), p = (n: number) => decimal(n, lang);
  const lines = [describeFilter(def.where, lang)];
  if (def.zones) lines.push(`${fr ? 'dans les zones' : 'in zones'} ${def.zones.join(', ')}`);
  if (def.activeDuring) lines.push(describeActive(def.activeDuring, lang));
  switch (def.kind) {
    case 'match':
      if (def.early && def.suppress) lines.push(earlyText(fr));
      break;
    case 'threshold': {
      const what = fr
        ? def.count ? `au moins ${def.count.gte} événements` : def.sum ? `une somme de ${def.sum.field} d’au moins ${def.sum.gte}` : `au moins ${def.distinct!.gte} valeurs distinctes de ${def.distinct!.field}`
        : def.count ? `at least ${def.count.gte} events` : def.sum ? `a sum of ${def.sum.field} of at least ${def.sum.gte}` : `at least ${def.distinct!.gte} distinct ${def.distinct!.field}`;
      lines.push(fr ? `${what} en ${d(def.window)} par ${def.groupBy}` : `${what} within ${d(def.window)} per ${def.groupBy}`);
      if (def.early) lines.push(earlyText(fr));
      break;
    }
    case 'anomaly':
      lines.push(fr
        ? `nombre en ${d(def.window)} par ${def.groupBy} improbable au rythme habituel de cette heure de la semaine (p < ${p(def.pValue)}, au moins ${def.minCount})`
        : `count within ${d(def.window)} per ${def.groupBy} unlikely under the usual rate for this hour of the week (p < ${p(def.pValue)}, at least ${def.minCount})`);
      if (def.early) lines.push(earlyText(fr));
      break;
    case 'sequence': {
      const steps = def.steps.map((s) => `${s.as} (${describeFilter(s.where, lang)})`).join(fr ? ' puis ' : ' then ');
      lines.push(fr
        ? `${steps} en ${d(def.within)}${def.near ? `, à moins de ${km(def.near)} du premier` : ''}`
        : `${steps} within ${d(def.within)}${def.near ? `, within ${km(def.near)} of the first` : ''}`);
      if (def.unless) {
        const unless = describeFilter(def.unless.where, lang);
        lines.push(fr ? `sauf ${unless}${def.unless.same ? ` avec la même valeur de ${def.unless.same}` : ''}` : `unless ${unless}${def.unless.same ? ` with the same ${def.unless.same}` : ''}`);
      }
      if (def.early) lines.push(earlyText(fr));
      break;
    }
    case 'cooccurrence':
      if (def.distinct === undefined) {
        lines.push(fr
          ? `au moins ${def.min} événements en ${d(def.within)}, à moins de ${km(def.near)} du dernier`
          : `at least ${def.min} events within ${d(def.within)}, within ${km(def.near)} of the latest`);
      } else {
        lines.push(fr
          ? `au moins ${def.min} valeurs distinctes de ${def.distinct} en ${d(def.within)} et à moins de ${km(def.near)}`
          : `at least ${def.min} distinct ${def.distinct} within ${d(def.within)} and ${km(def.near)}`);
      }
      if (def.early) lines.push(earlyText(fr));
      break;
    case 'absence':
      if (def.for === 'auto') {
        lines.push(fr
          ? `aucun événement par ${def.groupBy} plus longtemps que le rythme habituel ne le rend probable (p < ${p(def.pValue)}, au moins ${d(def.minFor)})`
          : `no event per ${def.groupBy} for longer than the usual rate makes likely (p < ${p(def.pValue)}, at least ${d(def.minFor)})`);
      } else lines.push(fr ? `aucun événement par ${def.groupBy} pendant ${d(def.for)}` : `no event per ${def.groupBy} for ${d(def.for)}`);
      break;
  }
  return lines;
}

const earlyText = (fr: boolean) => (fr ? 'alerte dès l’arrivée des événements, sans attendre les retardataires' : 'fires as the events arrive, without waiting for late ones');
