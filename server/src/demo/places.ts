import type { Place } from '@vigie/rules';

/** The demo city's named places, typed from public facts (approximate WGS84 positions). */
export const DEMO_PLACES: Place[] = [
  { id: 'gare-saint-charles', name: 'Gare Saint-Charles', kind: 'station', lat: 43.3027, lon: 5.3806 },
  { id: 'vieux-port', name: 'Vieux-Port', kind: 'landmark', lat: 43.2951, lon: 5.374 },
  { id: 'stade-velodrome', name: 'Stade Vélodrome', kind: 'stadium', lat: 43.2699, lon: 5.3959 },
  { id: 'mucem', name: 'Mucem', kind: 'museum', lat: 43.2969, lon: 5.3612 },
  { id: 'notre-dame-de-la-garde', name: 'Notre-Dame de la Garde', kind: 'landmark', lat: 43.2841, lon: 5.3713 },
  { id: 'hopital-timone', name: 'Hôpital de la Timone', kind: 'hospital', lat: 43.2897, lon: 5.4018 },
  { id: 'hopital-nord', name: 'Hôpital Nord', kind: 'hospital', lat: 43.3803, lon: 5.4046 },
  { id: 'hopital-conception', name: 'Hôpital de la Conception', kind: 'hospital', lat: 43.2903, lon: 5.393 },
  { id: 'hopital-europeen', name: 'Hôpital Européen', kind: 'hospital', lat: 43.3136, lon: 5.3722 },
  { id: 'castellane', name: 'Castellane', kind: 'station', lat: 43.2857, lon: 5.3835 },
  { id: 'reformes', name: 'Réformés-Canebière', kind: 'station', lat: 43.299, lon: 5.3853 },
  { id: 'joliette', name: 'Joliette', kind: 'station', lat: 43.3047, lon: 5.3665 },
  { id: 'rond-point-du-prado', name: 'Rond-point du Prado', kind: 'station', lat: 43.2713, lon: 5.3902 },
  { id: 'noailles', name: 'Noailles', kind: 'station', lat: 43.296, lon: 5.382 },
  { id: 'la-plaine', name: 'La Plaine', kind: 'square', lat: 43.2938, lon: 5.3866 },
  { id: 'parc-borely', name: 'Parc Borély', kind: 'park', lat: 43.259, lon: 5.382 },
  { id: 'plages-du-prado', name: 'Plages du Prado', kind: 'beach', lat: 43.261, lon: 5.374 },
  { id: 'gare-estaque', name: "Gare de l'Estaque", kind: 'station', lat: 43.3626, lon: 5.3234 },
  { id: 'bougainville', name: 'Bougainville', kind: 'station', lat: 43.3258, lon: 5.3637 },
  { id: 'la-rose', name: 'La Rose', kind: 'station', lat: 43.3419, lon: 5.4275 },
  { id: 'sainte-marguerite', name: 'Sainte-Marguerite Dromel', kind: 'station', lat: 43.2628, lon: 5.4061 },
  { id: 'pharo', name: 'Palais du Pharo', kind: 'landmark', lat: 43.2932, lon: 5.3595 },
  { id: 'hotel-de-ville', name: 'Hôtel de Ville', kind: 'landmark', lat: 43.2966, lon: 5.3698 },
  { id: 'la-fourragere', name: 'La Fourragère', kind: 'station', lat: 43.3043, lon: 5.4364 },
  { id: 'saint-just', name: 'Saint-Just', kind: 'station', lat: 43.3186, lon: 5.4078 },
  { id: 'la-timone', name: 'La Timone', kind: 'station', lat: 43.2873, lon: 5.4001 },
  { id: 'luminy', name: 'Luminy', kind: 'campus', lat: 43.2316, lon: 5.4396 },
  { id: 'pointe-rouge', name: 'Pointe Rouge', kind: 'port', lat: 43.2461, lon: 5.3676 },
  { id: 'la-valentine', name: 'La Valentine', kind: 'district', lat: 43.3046, lon: 5.4836 },
  { id: 'chateau-gombert', name: 'Château-Gombert', kind: 'district', lat: 43.3583, lon: 5.4426 },
];

/** Transport lines the simulator runs vehicles on, as sequences of place ids. */
export const DEMO_LINES: { id: string; name: string; stops: string[] }[] = [
  { id: 'M1', name: 'Métro 1', stops: ['la-rose', 'saint-just', 'reformes', 'noailles', 'castellane', 'la-timone', 'la-fourragere'] },
  { id: 'M2', name: 'Métro 2', stops: ['bougainville', 'joliette', 'gare-saint-charles', 'noailles', 'castellane', 'rond-point-du-prado', 'sainte-marguerite'] },
  { id: 'T2', name: 'Tram 2', stops: ['joliette', 'hotel-de-ville', 'reformes', 'la-plaine', 'la-timone'] },
  { id: '83', name: 'Bus 83', stops: ['vieux-port', 'pharo', 'plages-du-prado', 'rond-point-du-prado'] },
  { id: '19', name: 'Bus 19', stops: ['castellane', 'rond-point-du-prado', 'parc-borely', 'pointe-rouge'] },
  { id: '35', name: 'Bus 35', stops: ['joliette', 'bougainville', 'gare-estaque'] },
];
