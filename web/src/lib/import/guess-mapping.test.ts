import { describe, expect, it } from 'vitest';
import { CSV_FIELDS } from './csv-api.ts';
import { guessMapping } from './guess-mapping.ts';

const DEFAULTS = { id: 'numero', type: 'nature', date: 'date', hour: 'heure', time: 'horodatage', lat: 'latitude', lon: 'longitude', severity: 'gravite', text: 'observations' };

describe('guessMapping', () => {
  it('takes the default columns where the file has them', () => {
    expect(guessMapping(['numero', 'date', 'heure', 'nature', 'latitude', 'longitude', 'gravite', 'observations'], DEFAULTS, CSV_FIELDS))
      .toEqual({ id: 'numero', type: 'nature', date: 'date', hour: 'heure', time: '', lat: 'latitude', lon: 'longitude', severity: 'gravite', text: 'observations', stop: '' });
  });

  it('recognises the usual other names of an export (N°, Lat, Lon, Grav, Commentaire), whatever their case or accents', () => {
    expect(guessMapping(['n°', 'date', 'heure', 'catégorie', 'lat', 'lon', 'grav', 'commentaire'], DEFAULTS, CSV_FIELDS))
      .toEqual({ id: 'n°', type: 'categorie', date: 'date', hour: 'heure', time: '', lat: 'lat', lon: 'lon', severity: 'grav', text: 'commentaire', stop: '' });
  });

  it('leaves a field without a column when none fits, and gives a column to one field only', () => {
    const m = guessMapping(['date', 'lieu'], DEFAULTS, CSV_FIELDS);
    expect(m).toMatchObject({ id: '', type: '', date: 'date', time: '', lat: '', lon: '' });
  });

  it('recognises a longer heading that starts with a usual name (N° main courante, Nature de l’événement), an exact name first', () => {
    expect(guessMapping(['n° main courante', 'date/heure', "nature de l'evenement", 'adresse', 'latitude', 'longitude', 'operateur', 'commentaire'], DEFAULTS, CSV_FIELDS))
      .toEqual({ id: 'n° main courante', type: "nature de l'evenement", date: '', hour: '', time: 'date/heure', lat: 'latitude', lon: 'longitude', severity: '', text: 'commentaire', stop: '' });
    expect(guessMapping(['nature', 'nature de la demande'], DEFAULTS, CSV_FIELDS).type).toBe('nature');
  });

  it('leaves the stop column to be mapped on purpose', () => {
    expect(guessMapping(['numero', 'Arrêt', 'stop_id'], DEFAULTS, CSV_FIELDS).stop).toBe('');
  });
});
