import { lookup as dnsLookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Where Vigie may fetch a feed from. The machine itself (loopback, unspecified) and its link
 * (link-local, where the clouds serve their instance metadata and credentials) are refused:
 * an admin's URL must not make Vigie read an internal service and keep its answer as a dead
 * letter. Private ranges (10/8, 172.16/12, 192.168/16, fc00::/7) are where a city's own
 * operator servers live: allowed. Hosts listed in VIGIE_FEED_ALLOW_HOSTS are allowed anyway.
 */
const REFUSED: [address: string, prefix: number, family: 'ipv4' | 'ipv6', kind: string][] = [
  ['169.254.169.254', 32, 'ipv4', 'cloud metadata'],
  ['100.100.100.200', 32, 'ipv4', 'cloud metadata'], // Alibaba Cloud's
  ['fd00:ec2::254', 128, 'ipv6', 'cloud metadata'], // AWS's over IPv6
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['fe80::', 10, 'ipv6', 'link-local'],
];
const RANGES = REFUSED.map(([address, prefix, family, kind]) => {
  const list = new BlockList();
  list.addSubnet(address, prefix, family);
  return { list, kind };
});

/** The kind of address Vigie does not fetch from (`loopback`, `link-local`, …), or undefined. IPv4-mapped IPv6 addresses count as their IPv4 one. */
export function refusedAddress(ip: string): string | undefined {
  const family = isIP(ip);
  if (family === 0) return undefined;
  return RANGES.find((r) => r.list.check(ip, family === 4 ? 'ipv4' : 'ipv6'))?.kind;
}

/** A host as a URL writes it, compared with the allowed ones: lower case, IPv6 in canonical form without brackets, no trailing dot. */
export function canonicalHost(host: string): string {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  const h = new URL(`http://${isIP(bare) === 6 ? `[${bare}]` : bare}/`).hostname;
  return h.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

/** The hosts (names or addresses, as URLs write them) fetched although they are loopback or link-local. */
export type AllowedHosts = ReadonlySet<string>;
export const allowedHosts = (entries: readonly string[]): AllowedHosts => new Set(entries.map(canonicalHost));

const ALLOW_HINT = 'Vigie does not fetch feeds from it (VIGIE_FEED_ALLOW_HOSTS lists hosts allowed all the same)';
/** `a loopback address`, `an unspecified address`. */
const anAddress = (kind: string) => `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} address`;
const literalRefusal = (ip: string): string | undefined => {
  const kind = refusedAddress(ip);
  return kind && `${ip} is ${anAddress(kind)}: ${ALLOW_HINT}`;
};

/** An outbound request refused before anything was sent. */
export class OutboundRefused extends Error {}

/**
 * Configuration time: the URL's host as written, before anything is resolved: a refused
 * literal address, or `localhost` (and its subdomains). Other names are judged at each
 * request once resolved (`guard`). The reason, or undefined when the host may be fetched.
 */
export function refusedUrl(url: string | URL, allow: AllowedHosts): string | undefined {
  const host = canonicalHost(new URL(url).hostname);
  if (allow.has(host)) return undefined;
  if (isIP(host)) return literalRefusal(host);
  return host === 'localhost' || host.endsWith('.localhost') ? `${host} is a loopback host: ${ALLOW_HINT}` : undefined;
}

/**
 * What one request to `url` goes through: throws OutboundRefused for a refused literal
 * address; for a name, gives node:http a `lookup` that refuses the connection when any address
 * the name resolves to is refused, and connects only to the addresses it checked (no second
 * resolution that could answer otherwise).
 */
export function guard(url: URL, allow: AllowedHosts): { lookup?: LookupFunction } {
  const host = canonicalHost(url.hostname);
  if (allow.has(host)) return {};
  if (isIP(host)) {
    const refusal = literalRefusal(host);
    if (refusal) throw new OutboundRefused(refusal);
    return {};
  }
  const lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const bad = addresses.find((a) => refusedAddress(a.address));
      if (bad) return callback(new OutboundRefused(`${hostname} resolves to ${bad.address}, ${anAddress(refusedAddress(bad.address)!)}: ${ALLOW_HINT}`), '');
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
  return { lookup };
}
