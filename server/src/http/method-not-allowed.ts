import type { Request, Response } from 'express';
import { sendError } from './errors.ts';
import { HTTP_VERBS, openApiDocument } from './openapi.ts';

/** A documented path as a pattern (`{id}` is one segment) and the methods it answers. */
type Route = { pattern: RegExp; methods: string[] };

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
let routes: Route[] | undefined;

/** The API's routes, from its OpenAPI document (a test checks that it names every route the server has). */
function documentedRoutes(): Route[] {
  routes ??= Object.entries(openApiDocument('').paths as Record<string, object>).map(([path, ops]) => ({
    // Case-insensitive, as Express routes.
    pattern: new RegExp(`^${path.split(/\{[^}/]+\}/).map(escape).join('[^/]+')}$`, 'i'),
    methods: Object.keys(ops).filter((m) => HTTP_VERBS.has(m)).map((m) => m.toUpperCase()),
  }));
  return routes;
}

/**
 * The methods a path answers (HEAD wherever GET is), as the `Allow` header lists them; empty
 * when the path is no route's.
 */
export function allowedMethods(path: string): string[] {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const methods = new Set<string>();
  for (const r of documentedRoutes()) if (r.pattern.test(trimmed)) for (const m of r.methods) methods.add(m);
  if (methods.size === 0) return [];
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

/**
 * What a request no route took gets: on a path the API has, `OPTIONS` the methods it takes
 * (200 and `Allow`, as Express answers it where a router has the path) and any other method
 * 405 with `Allow`; on any other path, 404. JSON but for OPTIONS.
 */
export function noRoute(req: Request, res: Response): void {
  const path = `${req.baseUrl}${req.path === '/' ? '' : req.path}`;
  const allowed = allowedMethods(path);
  if (allowed.length) {
    res.setHeader('Allow', allowed.join(', '));
    if (req.method === 'OPTIONS') {
      res.status(200).type('text/plain').send(allowed.join(', '));
      return;
    }
    if (!allowed.includes(req.method)) {
      return sendError(res, 'VIGIE_METHOD_NOT_ALLOWED', `${req.method} is not a method of ${path}: ${allowed.join(', ')}`, { allow: allowed });
    }
  }
  sendError(res, 'VIGIE_NOT_FOUND', `no route ${req.method} ${path}`);
}
