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

/**
 * Load the console, or `null` when nobody is signed in. The city and the alerts are asked for
 * with the session, not after it: one round trip less before the first paint (on a city's
 * network, tens of milliseconds). Signed out, their answers (401 too) are dropped.
 */
export async function loadConsole(http: Http): Promise<ConsoleData | null> {
  const rest = Promise.all([fetchConfig(http), fetchZones(http), fetchPlaces(http), fetchActiveAlerts(http)]);
  // Handled at once: one may fail (401 signed out) before the session is known, and is then dropped.
  rest.catch(() => undefined);
  const session = await currentSession(http);
  if (!session) return null;
  const [config, zones, places, alerts] = await rest;
  return { session, config, zones, places, alerts };
}
