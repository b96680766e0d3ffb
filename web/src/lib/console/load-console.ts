import type { Place, Zone } from '@vigie/rules';
import { fetchActiveAlerts } from '../api/alerts.ts';
import { currentSession } from '../api/auth.ts';
import { fetchConfig, fetchPlaces, fetchZones } from '../api/city.ts';
import type { Http } from '../api/http.ts';
import type { AlertList, CityConfig, Session } from '../api/types.ts';

/** Everything the console needs before it can show anything. */
export type ConsoleData = {
  session: Session;
  config: CityConfig;
  zones: Zone[];
  places: Place[];
  alerts: AlertList;
};

/** Load the console, or `null` when nobody is signed in. */
export async function loadConsole(http: Http): Promise<ConsoleData | null> {
  const session = await currentSession(http);
  if (!session) return null;
  const [config, zones, places, alerts] = await Promise.all([
    fetchConfig(http),
    fetchZones(http),
    fetchPlaces(http),
    fetchActiveAlerts(http),
  ]);
  return { session, config, zones, places, alerts };
}
