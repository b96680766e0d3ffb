import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';

/** Serves the built console; unknown paths get the app shell (client-side routing). */
export function webStatic(dir: string): Router {
  const r = Router();
  const index = join(dir, 'index.html');
  if (!existsSync(index)) {
    r.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => {
      res.status(503).type('text/plain').send('The console is not built yet: run `npm run build` (npm start does it).');
    });
    return r;
  }
  r.use(express.static(dir, { index: false, maxAge: '1h', setHeaders: (res, path) => {
    if (path.includes('/_app/immutable/')) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
  } }));
  r.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return r;
}
