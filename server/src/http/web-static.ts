import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';
import { contentSecurityPolicy } from './content-security.ts';

/**
 * Serves the built console; unknown paths get the app shell (client-side routing), with a
 * Content-Security-Policy that allows its inline bootstrap by hash and map tiles from `tileUrl`.
 * The shell is served from memory with the policy made from that very text, read again when
 * the file changes: a console rebuilt while the server runs is served with its own hashes
 * (before, the policy of the old shell blocked the new one's bootstrap: a blank page).
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
  let shell = { mtimeMs: -1, html: '', csp: '' };
  const current = () => {
    const mtimeMs = statSync(index, { throwIfNoEntry: false })?.mtimeMs ?? shell.mtimeMs;
    if (mtimeMs !== shell.mtimeMs) {
      const html = readFileSync(index, 'utf8');
      shell = { mtimeMs, html, csp: contentSecurityPolicy(html, tileUrl) };
    }
    return shell;
  };
  current();
  const sendShell = (res: express.Response) => {
    const { html, csp } = current();
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Content-Security-Policy', csp);
    res.type('html').send(html);
  };
  r.get(['/index.html'], (_req, res) => sendShell(res));
  r.use(express.static(dir, { index: false, maxAge: '1h', setHeaders: (res, path) => {
    if (path.includes('/_app/immutable/')) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    if (path.endsWith('.html')) res.setHeader('Content-Security-Policy', current().csp);
  } }));
  r.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => sendShell(res));
  return r;
}
