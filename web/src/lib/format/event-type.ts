import type { Lang } from '../i18n/translate.ts';

type Words = Record<Lang, string>;

/**
 * What the feeds' event types are called in a sentence (the city's feeds and the simulator's
 * types, DESIGN's families): nouns without an article, so that a sentence can frame them.
 */
const TYPES: Record<string, Words> = {
  'incident.assault': { fr: 'agression', en: 'assault' },
  'incident.theft': { fr: 'vol', en: 'theft' },
  'incident.robbery': { fr: 'vol avec violence', en: 'robbery' },
  'incident.burglary': { fr: 'cambriolage', en: 'burglary' },
  'incident.fight': { fr: 'rixe', en: 'fight' },
  'incident.vandalism': { fr: 'dégradation', en: 'vandalism' },
  'incident.fire': { fr: 'incendie', en: 'fire' },
  'incident.noise': { fr: 'tapage', en: 'noise' },
  'incident.parking': { fr: 'stationnement gênant', en: 'illegal parking' },
  'incident.other': { fr: 'autre incident', en: 'other incident' },
  'accident.bike': { fr: 'accident de vélo', en: 'bicycle accident' },
  'accident.traffic': { fr: 'accident de la circulation', en: 'traffic accident' },
  'accident.car_accident': { fr: 'accident de voiture', en: 'car accident' },
  'accident.pedestrian': { fr: 'piéton renversé', en: 'pedestrian hit' },
  'accident.road': { fr: 'accident de la route', en: 'road accident' },
  'transport.incident': { fr: 'incident de transport', en: 'transport incident' },
  'transport.delay': { fr: 'retard de transport', en: 'transport delay' },
  'transport.cancellation': { fr: 'course supprimée', en: 'cancelled trip' },
  'transport.alert': { fr: 'perturbation de transport', en: 'transport disruption' },
  'transport.message': { fr: 'message voyageurs', en: 'passenger message' },
  'transport.stop.skipped': { fr: 'arrêt non desservi', en: 'stop skipped' },
  'transport.vehicle.position': { fr: 'position de véhicule', en: 'vehicle position' },
  'health.admission': { fr: 'admission aux urgences', en: 'emergency admission' },
  'lighting.fault': { fr: 'panne d’éclairage', en: 'street-light fault' },
  'lighting.repaired': { fr: 'éclairage réparé', en: 'street light repaired' },
  'citizen.report': { fr: 'signalement citoyen', en: 'citizen report' },
  'citizen.noise': { fr: 'signalement de bruit', en: 'noise report' },
  'crowd.report': { fr: 'signalement de foule', en: 'crowd report' },
  'crowd.congestion': { fr: 'foule dense', en: 'crowd congestion' },
};

/** The families (a type's first segment), for a type of the family not listed above. */
const FAMILIES: Record<string, Words> = {
  incident: { fr: 'incident', en: 'incident' },
  accident: { fr: 'accident', en: 'accident' },
  transport: { fr: 'transport', en: 'transport' },
  health: { fr: 'santé', en: 'health' },
  lighting: { fr: 'éclairage', en: 'lighting' },
  citizen: { fr: 'signalement citoyen', en: 'citizen report' },
  crowd: { fr: 'foule', en: 'crowd' },
  event: { fr: 'événement de la ville', en: 'city event' },
  feed: { fr: 'flux', en: 'feed' },
};

/**
 * An event type as a reader says it ("accident de vélo" for `accident.bike`), in `lang`; a
 * type of a known family not listed by its family and the rest of the type ("incident
 * (graffiti)"); undefined for any other (the caller shows the type itself).
 */
export function eventTypeLabel(type: string, lang: Lang): string | undefined {
  if (Object.hasOwn(TYPES, type)) return TYPES[type]![lang];
  const dot = type.indexOf('.');
  const family = type.slice(0, dot);
  return dot > 0 && Object.hasOwn(FAMILIES, family) ? `${FAMILIES[family]![lang]} (${type.slice(dot + 1)})` : undefined;
}
