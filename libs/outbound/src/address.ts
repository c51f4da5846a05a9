import ipaddr from 'ipaddr.js';

export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'unique_local'
  | 'multicast'
  | 'unspecified'
  | 'metadata'
  | 'reserved'
  | 'invalid';

type IP = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Cloud instance-metadata endpoints. They get a class of their own because reaching one from a server
 * usually means credential theft; 168.63.129.16 (Azure's wireserver) sits in public space, so the
 * range table alone would let it through.
 */
const METADATA: readonly IP[] = ['169.254.169.254', 'fd00:ec2::254', '100.100.100.200', '168.63.129.16'].map((a) =>
  ipaddr.parse(a),
);

// Outside 2000::/3 no IPv6 space is allocated for global unicast, so ipaddr.js's catch-all 'unicast' there is not trusted.
const GLOBAL_UNICAST_V6: [ipaddr.IPv6, number] = [ipaddr.IPv6.parse('2000::'), 3];
// Only the well-known NAT64 prefix forwards to the embedded IPv4 address on the public internet; 64:ff9b:1::/48 is local use.
const NAT64_WELL_KNOWN: [ipaddr.IPv6, number] = [ipaddr.IPv6.parse('64:ff9b::'), 96];
// IPv4-compatible (::/96, deprecated) and IPv4-translated (::ffff:0:0:0/96) forms are not publicly routable,
// but the embedded address still tells what a sloppy stack or translator would reach.
const IPV4_COMPATIBLE: [ipaddr.IPv6, number] = [ipaddr.IPv6.parse('::'), 96];
const IPV4_TRANSLATED: [ipaddr.IPv6, number] = [ipaddr.IPv6.parse('::ffff:0:0:0'), 96];

function stripBrackets(host: string): string {
  return host.length > 1 && host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * Parses every textual form a resolver or URL parser might treat as an address, including the inet_aton
 * shorthands (decimal, octal, hex, fewer than four parts) that attackers use to dodge string filters.
 * IPv4-mapped IPv6 comes back as IPv4 so it is judged by the address it actually reaches.
 */
function parseAddress(address: string): IP | null {
  const inner = stripBrackets(address);
  if (inner !== address && !ipaddr.IPv6.isValid(inner)) return null; // brackets only ever wrap IPv6
  if (!ipaddr.isValid(inner)) return null;
  try {
    return ipaddr.process(inner);
  } catch {
    return null;
  }
}

function embeddedIPv4(ip: ipaddr.IPv6): ipaddr.IPv4 {
  const bytes = ip.toByteArray();
  return new ipaddr.IPv4(bytes.slice(12));
}

function isMetadata(ip: IP): boolean {
  return METADATA.some((m) => m.kind() === ip.kind() && ip.match(m, ip.kind() === 'ipv4' ? 32 : 128));
}

// ipaddr.js names more ranges at run time than its typings list (discard, deprecatedSiteLocal, ...), and may add
// more; anything not named here is treated as reserved, never as public.
const IPV4_RANGES: ReadonlyMap<string, AddressClass> = new Map<string, AddressClass>([
  ['unicast', 'public'],
  ['loopback', 'loopback'],
  ['private', 'private'],
  ['carrierGradeNat', 'private'],
  ['linkLocal', 'link_local'],
  ['multicast', 'multicast'],
  ['unspecified', 'unspecified'],
]);

const IPV6_RANGES: ReadonlyMap<string, AddressClass> = new Map<string, AddressClass>([
  ['loopback', 'loopback'],
  ['unspecified', 'unspecified'],
  ['linkLocal', 'link_local'],
  ['uniqueLocal', 'unique_local'],
  ['multicast', 'multicast'],
]);

function classifyIPv4(ip: ipaddr.IPv4): AddressClass {
  if (isMetadata(ip)) return 'metadata';
  return IPV4_RANGES.get(ip.range()) ?? 'reserved';
}

function classifyIPv6(ip: ipaddr.IPv6): AddressClass {
  if (isMetadata(ip)) return 'metadata';
  const range = ip.range();
  const named = IPV6_RANGES.get(range);
  if (named !== undefined) return named;
  if (ip.match(NAT64_WELL_KNOWN)) return classifyIPv4(embeddedIPv4(ip));
  if (ip.match(IPV4_COMPATIBLE) || ip.match(IPV4_TRANSLATED)) {
    const embedded = classifyIPv4(embeddedIPv4(ip));
    return embedded === 'public' ? 'reserved' : embedded;
  }
  // 6to4 and Teredo tunnel to an IPv4 address we cannot judge reliably, so they stay non-public whatever they embed.
  if (range === 'unicast' && ip.match(GLOBAL_UNICAST_V6)) return 'public';
  return 'reserved';
}

/** What kind of destination an IP address (any textual form, brackets and zone ids allowed) is; names are 'invalid'. */
export function classifyAddress(address: string): AddressClass {
  const ip = parseAddress(address);
  if (ip === null) return 'invalid';
  return ip.kind() === 'ipv4' ? classifyIPv4(ip as ipaddr.IPv4) : classifyIPv6(ip as ipaddr.IPv6);
}

export function isPublicAddress(address: string): boolean {
  return classifyAddress(address) === 'public';
}

function sameAddress(a: IP, b: IP): boolean {
  if (a.kind() !== b.kind()) return false;
  const zoneA = a.kind() === 'ipv6' ? ((a as ipaddr.IPv6).zoneId ?? '') : '';
  const zoneB = b.kind() === 'ipv6' ? ((b as ipaddr.IPv6).zoneId ?? '') : '';
  return zoneA === zoneB && a.toByteArray().every((byte, i) => byte === b.toByteArray()[i]);
}

// DNS treats "example.org." and "example.org" as the same name; so must the allow-list.
function normaliseName(host: string): string {
  const lower = host.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** A URL host (name or IP literal, brackets allowed) compared with the OUTBOUND_ALLOW_HOSTS list (lower-case names/IPs; IPv6 compared normalised). */
export function isAllowedHost(host: string, allowHosts: readonly string[]): boolean {
  if (host === '' || allowHosts.length === 0) return false;
  const ip = parseAddress(host);
  if (ip !== null) {
    return allowHosts.some((entry) => {
      const allowed = parseAddress(entry.trim());
      return allowed !== null && sameAddress(ip, allowed);
    });
  }
  const name = normaliseName(host);
  return allowHosts.some((entry) => {
    const trimmed = entry.trim();
    return trimmed !== '' && parseAddress(trimmed) === null && normaliseName(trimmed) === name;
  });
}
