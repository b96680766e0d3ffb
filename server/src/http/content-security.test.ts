import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, inlineScriptHashes, tileSource } from './content-security.ts';

const sha = (s: string) => `sha256-${createHash('sha256').update(s).digest('base64')}`;

describe('content security policy', () => {
  it('allows the inline bootstrap by the hash of its exact text, and no external inline script', () => {
    const boot = '\n  { kit.start(); }\n';
    const html = `<head><script src="/_app/a.js"></script></head><body><script>${boot}</script><SCRIPT type="module">x()</SCRIPT></body>`;
    expect(inlineScriptHashes(html)).toEqual([sha(boot), sha('x()')]);
    const csp = contentSecurityPolicy(html, '');
    expect(csp).toContain(`script-src 'self' '${sha(boot)}' '${sha('x()')}'`);
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'self'");
  });

  it('lets the map load tiles from the configured server only', () => {
    expect(tileSource('https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png')).toBe('https://*.tile.openstreetmap.org');
    expect(tileSource('https://tiles.example.fr:8443/osm/{z}/{x}/{y}.png?key=1')).toBe('https://tiles.example.fr:8443');
    expect(tileSource('HTTP://tuiles-{s}.ville.fr/{z}/{x}/{y}.png')).toBe('http://*.ville.fr');
    expect(tileSource('')).toBe('');
    expect(tileSource('/tiles/{z}/{x}/{y}.png')).toBe(''); // same origin: 'self' covers it
    expect(contentSecurityPolicy('', 'https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png')).toContain("img-src 'self' data: blob: https://*.tile.openstreetmap.org;");
    expect(contentSecurityPolicy('', '')).toContain("img-src 'self' data: blob:;");
  });
});
