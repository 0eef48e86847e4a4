import { isIP } from 'node:net';
import type { IpMode } from '../store/index.js';

/** IPv4-mapped IPv6 ('::ffff:10.1.2.3') is truncated as the IPv4 address it carries. */
const MAPPED_V4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

function truncateV4(ip: string): string {
  return `${ip.slice(0, ip.lastIndexOf('.'))}.0`;
}

/** The eight 16-bit groups of an IPv6 address (an embedded IPv4 tail becomes two groups). */
function v6Groups(ip: string): number[] {
  let text = ip.split('%')[0] ?? ip;
  const v4Tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4Tail) {
    const [a, b, c, d] = v4Tail.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4Tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16)));
  const left = parse(head);
  if (tail === undefined) return left;
  const right = parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** RFC 5952 text: lower case, no leading zeros, the longest run (≥ 2) of zero groups as '::'. */
function formatV6(groups: readonly number[]): string {
  let best = { start: -1, length: 0 };
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.length < 2) return hex.join(':');
  const left = hex.slice(0, best.start).join(':');
  const right = hex.slice(best.start + best.length).join(':');
  return `${left}::${right}`;
}

/**
 * Truncates an address as Google Analytics' IP anonymization did: the last octet of IPv4
 * (1.2.3.4 → 1.2.3.0) and the last 80 bits of IPv6 (keeping the /48 routing prefix). Null for
 * text that is not an address, which is therefore never stored.
 */
export function truncateIp(ip: string): string | null {
  const address = ip.trim();
  const mapped = MAPPED_V4.exec(address);
  if (mapped?.[1] !== undefined && isIP(mapped[1]) === 4) return `::ffff:${truncateV4(mapped[1])}`;
  const family = isIP(address);
  if (family === 4) return truncateV4(address);
  if (family !== 6) return null;
  const groups = v6Groups(address);
  return formatV6(groups.map((g, i) => (i < 3 ? g : 0)));
}

/** The stored-address rule of an IP mode; null for `keep` (nothing to apply). */
export function storedIpRule(mode: IpMode): ((ip: string) => string | null) | null {
  if (mode === 'truncate') return truncateIp;
  if (mode === 'drop') return () => null;
  return null;
}
