import { Rng } from './rng.js';

/**
 * Multi-touch journeys with planted channel contributions, for attribution. Each person makes
 * one journey of web visits; its channels follow a first-order Markov chain: the first visit's
 * channel from START, and after a visit through channel c the person converts with CONVERT[c]
 * (a `purchase` in that visit), leaves for good with LEAVE[c], or comes back days later through a
 * channel drawn from NEXT. Display and social mostly start journeys; email, paid search and
 * direct mostly close them. The truth — each channel's removal effect in this chain and the
 * shares of converting journeys it starts and closes — is computed exactly from the parameters.
 */
export const ATTRIBUTION_CHANNELS = [
  'display',
  'paid social',
  'organic social',
  'organic search',
  'referral',
  'email',
  'paid search',
  'direct',
] as const;
export type AttributionChannel = (typeof ATTRIBUTION_CHANNELS)[number];

type Table = Readonly<Record<AttributionChannel, number>>;

/** The planted chain (channel names as ingest classifies the visits). */
export const ATTRIBUTION_CHAIN: {
  readonly start: Table;
  readonly next: Table;
  readonly convert: Table;
  readonly leave: Table;
} = {
  start: {
    display: 0.34,
    'paid social': 0.24,
    'organic social': 0.12,
    'organic search': 0.12,
    referral: 0.06,
    email: 0,
    'paid search': 0.08,
    direct: 0.04,
  },
  next: {
    display: 0.04,
    'paid social': 0.04,
    'organic social': 0.04,
    'organic search': 0.1,
    referral: 0.06,
    email: 0.32,
    'paid search': 0.2,
    direct: 0.2,
  },
  convert: {
    display: 0.01,
    'paid social': 0.02,
    'organic social': 0.02,
    'organic search': 0.06,
    referral: 0.05,
    email: 0.32,
    'paid search': 0.24,
    direct: 0.16,
  },
  leave: {
    display: 0.3,
    'paid social': 0.32,
    'organic social': 0.4,
    'organic search': 0.34,
    referral: 0.4,
    email: 0.22,
    'paid search': 0.28,
    direct: 0.32,
  },
};

/** What to simulate: persons, seed, and the days journeys start in (from startMs). */
export interface AttributionSimOptions {
  readonly persons: number;
  readonly seed: number;
  readonly startMs: number;
  /** Journeys start within this many days of startMs (later visits may run past it). */
  readonly days: number;
}

/** The planted truth of the chain. */
export interface AttributionTruth {
  readonly channels: readonly AttributionChannel[];
  /** P(conversion) of a journey. */
  readonly conversionProbability: number;
  /** 1 − P(conversion without the channel) / P(conversion), exact. */
  readonly removalEffects: Table;
  /** Channels by removal effect, largest first. */
  readonly contributionRanking: readonly AttributionChannel[];
  /** Of converting journeys, the share whose first (last) visit came through the channel. */
  readonly startShare: Table;
  readonly closeShare: Table;
  readonly initiators: readonly AttributionChannel[];
  readonly closers: readonly AttributionChannel[];
}

/** Solves A x = b for a small dense system (Gaussian elimination, partial pivoting). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i]?.[k] as number) > Math.abs(m[p]?.[k] as number)) p = i;
    [m[k], m[p]] = [m[p] as number[], m[k] as number[]];
    const rk = m[k] as number[];
    for (let i = 0; i < n; i++) {
      const ri = m[i] as number[];
      if (i === k) continue;
      const f = (ri[k] as number) / (rk[k] as number);
      for (let j = k; j <= n; j++) ri[j] = (ri[j] as number) - f * (rk[j] as number);
    }
  }
  return m.map((row, i) => (row[n] as number) / (row[i] as number));
}

/** P(conversion) from each channel (visits to `removed` never convert). */
function conversionFrom(removed: AttributionChannel | null): number[] {
  const ch = ATTRIBUTION_CHANNELS;
  const c = ATTRIBUTION_CHAIN;
  const a = ch.map((from, i) =>
    ch.map(
      (to, j) =>
        (i === j ? 1 : 0) -
        (from === removed || to === removed ? 0 : (1 - c.convert[from] - c.leave[from]) * c.next[to]),
    ),
  );
  return solve(
    a,
    ch.map((x) => (x === removed ? 0 : c.convert[x])),
  );
}

/** The exact truth of the planted chain. */
export function attributionTruth(): AttributionTruth {
  const ch = ATTRIBUTION_CHANNELS;
  const c = ATTRIBUTION_CHAIN;
  const at = (x: number[]) => ch.reduce((sum, k, i) => sum + c.start[k] * (x[i] as number), 0);
  const x = conversionFrom(null);
  const p = at(x);
  const removal = Object.fromEntries(ch.map((k) => [k, 1 - at(conversionFrom(k)) / p])) as Table;
  // Expected visits per channel: v = start + v · P, with P[i][j] = continue(i) · next(j).
  const visits = solve(
    ch.map((to, j) =>
      ch.map((from, i) => (i === j ? 1 : 0) - (1 - c.convert[from] - c.leave[from]) * c.next[to]),
    ),
    ch.map((k) => c.start[k]),
  );
  const startShare = Object.fromEntries(ch.map((k, i) => [k, (c.start[k] * (x[i] as number)) / p])) as Table;
  const closeShare = Object.fromEntries(
    ch.map((k, i) => [k, ((visits[i] as number) * c.convert[k]) / p]),
  ) as Table;
  return {
    channels: ch,
    conversionProbability: p,
    removalEffects: removal,
    contributionRanking: [...ch].sort((a, b) => removal[b] - removal[a]),
    startShare,
    closeShare,
    initiators: ['display', 'paid social', 'organic social'],
    closers: ['email', 'paid search', 'direct'],
  };
}

/** The landing of a visit through a channel: query string and referrer. */
const LANDING: Readonly<Record<AttributionChannel, { query: string; referrer: string }>> = {
  display: { query: 'utm_source=criteo&utm_medium=display&utm_campaign=prospecting', referrer: '' },
  'paid social': {
    query: 'utm_source=facebook&utm_medium=paid_social&utm_campaign=prospecting',
    referrer: 'https://m.facebook.com/',
  },
  'organic social': { query: '', referrer: 'https://www.facebook.com/' },
  'organic search': { query: '', referrer: 'https://www.google.com/' },
  referral: { query: '', referrer: 'https://blog.example.org/review/' },
  email: { query: 'utm_source=newsletter&utm_medium=email&utm_campaign=weekly', referrer: '' },
  'paid search': {
    query: 'utm_source=google&utm_medium=cpc&utm_campaign=brand&gclid=Cj0K1',
    referrer: 'https://www.google.com/',
  },
  direct: { query: '', referrer: '' },
};

function pick(rng: Rng, table: Table): AttributionChannel {
  let u = rng.float();
  for (const k of ATTRIBUTION_CHANNELS) {
    u -= table[k];
    if (u < 0) return k;
  }
  return ATTRIBUTION_CHANNELS[ATTRIBUTION_CHANNELS.length - 1] as AttributionChannel;
}

const ORIGIN = 'https://shop.example.com';
const PAGES = ['/', '/products', '/pricing', '/about'];

/** One visit: 1–3 page views a minute or two apart, and the purchase when it converts. */
function visit(
  rng: Rng,
  userId: string,
  t0: number,
  channel: AttributionChannel,
  isConverting: boolean,
  n: { k: number },
) {
  const out: Record<string, unknown>[] = [];
  const land = LANDING[channel];
  let referrer = land.referrer;
  let t = t0;
  let url = '';
  const pages = 1 + rng.int(3);
  for (let i = 0; i < pages; i++) {
    const path = i === 0 ? '/' : (PAGES[rng.int(PAGES.length)] as string);
    const search = i === 0 && land.query ? `?${land.query}` : '';
    url = `${ORIGIN}${path}${search}`;
    const page = { url, path, search, referrer, title: path };
    out.push({
      type: 'page',
      userId,
      messageId: `${userId}-${n.k++}`,
      timestamp: new Date(t).toISOString(),
      properties: page,
      context: { page },
    });
    referrer = url;
    t += 30_000 + rng.int(120_000);
  }
  if (isConverting) {
    const page = { url, path: '/checkout', search: '', referrer, title: 'checkout' };
    const revenue = Math.round((40 + rng.exponential(80)) * 100) / 100;
    out.push({
      type: 'track',
      event: 'purchase',
      userId,
      messageId: `${userId}-${n.k++}`,
      timestamp: new Date(t).toISOString(),
      properties: { revenue },
      context: { page },
    });
  }
  return out;
}

/** The messages of one person's journey, in time order (Segment messages, `timestamp` as ISO). */
export function attributionPerson(o: AttributionSimOptions, index: number): Record<string, unknown>[] {
  const rng = new Rng(o.seed, 0xa77, index);
  const c = ATTRIBUTION_CHAIN;
  const userId = `att-${index}`;
  const n = { k: 0 };
  const out: Record<string, unknown>[] = [];
  let t = o.startMs + rng.float() * o.days * 86_400_000;
  let channel = pick(rng, c.start);
  for (let step = 0; step < 30; step++) {
    const u = rng.float();
    const isConverting = u < c.convert[channel];
    out.push(...visit(rng, userId, t, channel, isConverting, n));
    if (isConverting || u < c.convert[channel] + c.leave[channel]) break;
    // Next visit 2 hours to ~3 days later: never within the 30-minute session timeout.
    t += 7_200_000 + rng.exponential(1.2 * 86_400_000);
    channel = pick(rng, c.next);
  }
  return out;
}

/** Every person's messages, person after person. */
export function* attributionMessages(o: AttributionSimOptions): Generator<Record<string, unknown>[]> {
  for (let i = 0; i < o.persons; i++) yield attributionPerson(o, i);
}
