import type { Alert, WallBootstrap, WallState } from '@vigie/rules';
import { Http, type FetchLike } from '../api/http.ts';

/**
 * The wall's HTTP client: every request carries the display token (`Authorization: Display`),
 * never a session. Errors are the console's `ApiError` (status and code).
 */
export class WallApi {
  readonly #http: Http;

  constructor(token: string, fetchFn: FetchLike = (input, init) => fetch(input, init)) {
    this.#http = new Http((input, init) =>
      fetchFn(input, { ...init, credentials: 'omit', headers: { ...(init?.headers as Record<string, string>), Authorization: `Display ${token}` } }));
  }

  bootstrap = (): Promise<WallBootstrap> => this.#http.get('/api/v1/wall/bootstrap');
  state = (): Promise<WallState> => this.#http.get('/api/v1/wall/state');
  alerts = (): Promise<{ alerts: Alert[]; lastSeq: number }> => this.#http.get('/api/v1/wall/alerts');
}
