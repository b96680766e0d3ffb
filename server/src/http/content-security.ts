import { createHash } from 'node:crypto';

/**
 * The console's Content-Security-Policy: scripts only from this origin plus the app shell's
 * own inline bootstrap (allowed by its hash, so no 'unsafe-inline' for scripts), images from
 * this origin and the map tile server, live link and API on this origin only, no plugins,
 * no framing by another site. Styles may be inline: Leaflet and the components position
 * elements with style attributes.
 */
export function contentSecurityPolicy(shellHtml: string, tileUrl: string): string {
  const scripts = inlineScriptHashes(shellHtml).map((h) => `'${h}'`);
  const tiles = tileSource(tileUrl);
  return [
    "default-src 'self'",
    ["script-src 'self'", ...scripts].join(' '),
    "style-src 'self' 'unsafe-inline'",
    ["img-src 'self' data: blob:", ...(tiles ? [tiles] : [])].join(' '),
    "connect-src 'self'",
    "font-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join('; ');
}

/** `sha256-…` of every inline `<script>` (one without `src`), over its exact text. */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const m of html.matchAll(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/gi)) {
    if (/\ssrc\s*=/i.test(m[1] ?? '')) continue;
    hashes.push(`sha256-${createHash('sha256').update(m[2]!, 'utf8').digest('base64')}`);
  }
  return hashes;
}

/**
 * The CSP source for a Leaflet tile URL template: its scheme and host, a `{s}` (or any other
 * placeholder) in the host becoming a `*` label; '' when there is no tile server.
 */
export function tileSource(tileUrl: string): string {
  const m = /^(https?:)\/\/([^/?#]+)/i.exec(tileUrl.trim());
  if (!m) return '';
  const host = m[2]!.replace(/^[^.]*\{[^}]*\}[^.]*\./, '*.').replace(/\{[^}]*\}/g, '*');
  return `${m[1]!.toLowerCase()}//${host}`;
}
