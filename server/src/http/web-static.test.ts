import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import { inlineScriptHashes } from './content-security.ts';
import { webStatic } from './web-static.ts';

const dir = mkdtempSync(join(tmpdir(), 'vigie-web-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const shell = (boot: string) => `<!doctype html><html><body><script>${boot}</script></body></html>`;

describe('webStatic', () => {
  it('serves the shell with the policy of that very shell, also after the console is rebuilt while it runs', async () => {
    const index = join(dir, 'index.html');
    writeFileSync(index, shell('start(1)'));
    const app = express().use(webStatic(dir, ''));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const check = async (path: string, boot: string) => {
        const res = await fetch(`${url}${path}`);
        const html = await res.text();
        expect(html).toContain(boot);
        expect(res.headers.get('content-security-policy')).toContain(inlineScriptHashes(html)[0]);
      };
      await check('/', 'start(1)');
      await check('/rules/x', 'start(1)');
      writeFileSync(index, shell('start(2)'));
      utimesSync(index, new Date(), new Date(Date.now() + 5000)); // a later build
      await check('/alerts', 'start(2)');
      await check('/index.html', 'start(2)');
    } finally {
      server.close();
    }
  });
});
