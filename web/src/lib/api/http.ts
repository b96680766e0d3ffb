import type { ApiErrorBody } from './types.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** A failed API call: the server's error code, or `VIGIE_NETWORK` when there was no answer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const NETWORK_ERROR = 'VIGIE_NETWORK';

function isErrorBody(body: unknown): body is ApiErrorBody {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = (body as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * JSON over HTTP on the same origin, with the session cookie. Every state-changing
 * request carries the CSRF token given by `login` / `me`.
 */
export class Http {
  csrfToken: string | null = null;

  constructor(private readonly fetchFn: FetchLike) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  /** `extra` headers are added to the request's own (e.g. `If-Match`). */
  request<T>(method: HttpMethod, path: string, body?: unknown, extra: Readonly<Record<string, string>> = {}): Promise<T> {
    const headers: Record<string, string> = { ...extra };
    if (method !== 'GET') headers['Content-Type'] = 'application/json';
    return this.send<T>(method, path, headers, method === 'GET' ? undefined : JSON.stringify(body ?? {}));
  }

  /** POSTs a file as it is (a zip), of media type `contentType`; answers and fails like `request`. */
  upload<T>(path: string, body: Blob, contentType: string): Promise<T> {
    return this.send<T>('POST', path, { 'Content-Type': contentType }, body);
  }

  private async send<T>(method: HttpMethod, path: string, given: Readonly<Record<string, string>>, body: BodyInit | undefined): Promise<T> {
    const headers: Record<string, string> = { ...given, Accept: 'application/json' };
    if (method !== 'GET' && this.csrfToken) headers['X-CSRF-Token'] = this.csrfToken;
    let response: Response;
    try {
      response = await this.fetchFn(path, { method, headers, credentials: 'same-origin', body });
    } catch (cause) {
      throw new ApiError(0, NETWORK_ERROR, cause instanceof Error ? cause.message : String(cause));
    }
    const payload = await readJson(response);
    if (!response.ok) {
      if (isErrorBody(payload)) {
        const { code, message, details } = payload.error;
        throw new ApiError(response.status, code, message, details);
      }
      throw new ApiError(response.status, `HTTP_${response.status}`, response.statusText || `HTTP ${response.status}`);
    }
    return payload as T;
  }
}

/** The console's HTTP client (same origin: the Express server, or Vite's proxy in dev). */
export const http = new Http((input, init) => fetch(input, init));
