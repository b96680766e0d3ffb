import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';
import { contentSecurityPolicy } from './content-security.ts';

/**
 * Serves the built console; unknown paths get the app shell (client-side routing), with a
 * Content-Security-Policy that allows its inline bootstrap by hash and map tiles from `tileUrl`.
 */
export function webStatic(dir: string, tileUrl: string): Router {
  const r = Router();
  const index = join(dir, 'index.html');
  if (!existsSync(index)) {
    r.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => {
      res.status(503).type('text/plain').send('The console is not built yet: run `npm run build` (npm start does it).');
    });
    return r;
  }
  const csp = contentSecurityPolicy(readFileSync(index, 'utf8'), tileUrl);
  r.use(express.static(dir, { index: false, maxAge: '1h', setHeaders: (res, path) => {
    if (path.includes('/_app/immutable/')) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    if (path.endsWith('.html')) res.setHeader('Content-Security-Policy', csp);
  } }));
  r.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Content-Security-Policy', csp);
    res.sendFile(index);
  });
  return r;
}
