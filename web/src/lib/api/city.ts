import type { Place, Zone } from '@vigie/rules';
import type { Http } from './http.ts';
import type { CityConfig, PlaceList, ZoneList } from './types.ts';

export const fetchConfig = (http: Http): Promise<CityConfig> => http.get<CityConfig>('/api/v1/config');

export const fetchZones = async (http: Http): Promise<Zone[]> =>
  (await http.get<ZoneList>('/api/v1/zones')).zones;

export const fetchPlaces = async (http: Http): Promise<Place[]> =>
  (await http.get<PlaceList>('/api/v1/places')).places;
