/** Open311 GeoReport v2 services a citizen can report, and the event type each becomes. */
export type Open311Service = { service_code: string; service_name: string; description: string; group: string; type: string; keywords: string };

export const OPEN311_SERVICES: Open311Service[] = [
  { service_code: 'eclairage', service_name: 'Éclairage public en panne', description: 'Un lampadaire éteint ou qui clignote', group: 'Voirie', type: 'lighting.fault', keywords: 'lampadaire,lumière' },
  { service_code: 'depot-sauvage', service_name: 'Dépôt sauvage', description: 'Déchets ou encombrants abandonnés', group: 'Propreté', type: 'citizen.dumping', keywords: 'déchets,encombrants' },
  { service_code: 'voirie', service_name: 'Voirie dégradée', description: 'Nid-de-poule, trottoir ou chaussée abîmés', group: 'Voirie', type: 'citizen.road', keywords: 'chaussée,trottoir' },
  { service_code: 'graffiti', service_name: 'Tag ou graffiti', description: 'Inscriptions sur un bien public ou privé', group: 'Propreté', type: 'citizen.graffiti', keywords: 'tag' },
  { service_code: 'nuisance', service_name: 'Nuisance sonore', description: 'Bruit de voisinage ou sur la voie publique', group: 'Tranquillité', type: 'citizen.noise', keywords: 'bruit' },
  { service_code: 'securite', service_name: 'Problème de sécurité', description: 'Une situation inquiétante (pas une urgence : appelez le 17)', group: 'Tranquillité', type: 'citizen.report', keywords: 'sécurité' },
];
export const OPEN311_BY_CODE = new Map(OPEN311_SERVICES.map((s) => [s.service_code, s]));

/** The source Open311 service requests are stored under. */
export const OPEN311_SOURCE = 'open311';
