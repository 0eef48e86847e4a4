import { PathwiseError } from '../core/index.js';
import { Calendar, CONSUMER, DAY_MS } from './calendar.js';
import type { Platform } from './catalog-data.js';
import { sampleChannel, sampleTouch } from './channels.js';
import { isoDate } from './format.js';
import { landingPage } from './journey.js';
import { type EmitCounts, HouseholdWriter, type Session } from './message.js';
import { appVersionAt, createDevice, type Device } from './population.js';
import { Rng, Weighted } from './rng.js';

/** The funnel of the fault scenario (GA4 names, one visit per journey). */
export const FAULT_STEPS = [
  'view_item',
  'add_to_cart',
  'begin_checkout',
  'add_payment_info',
  'purchase',
] as const;

/** A step after the first, whose conversion from the previous step a fault can lower. */
export type FaultStep = (typeof FAULT_STEPS)[number];

/**
 * Who a fault hits, by what ingest stores for the event of the previous step: `os`, `browser`
 * (ua-parser names, e.g. "Android", "Firefox"), `country` (ISO code) and `app_version`.
 */
export interface FaultSegment {
  readonly os?: string;
  readonly browser?: string;
  readonly country?: string;
  readonly app_version?: string;
}

/** A planted fault: from `from` (UTC date) on, P(step | previous step) × `multiplier` for the segment. */
export interface FunnelFault {
  readonly step: FaultStep;
  readonly segment: FaultSegment;
  readonly multiplier: number;
  readonly from: string;
}

/** Options of the fault scenario. */
export interface FaultSimOptions {
  readonly users: number;
  readonly days: number;
  readonly seed: number;
  /** End of the range (exclusive), an ISO date. */
  readonly end: string;
  readonly faults: readonly FunnelFault[];
  /** The UTC date app version 2.1 ships (default: the middle of the range). */
  readonly releaseDate?: string;
}

/**
 * The planted generating parameters. Every segment converts alike (no platform, country or
 * browser differences) except for the faults, so a diagnosis should flag exactly the faults.
 * Two planted correlations: `coupon_applied` (before add_to_cart) raises P(purchase |
 * add_payment_info); `shipping_info_viewed` with `method` freight lowers, express raises,
 * P(begin_checkout | add_to_cart).
 */
export const FAULT_SIM = {
  platformShares: { desktop_web: 0.4, mobile_web: 0.3, ios_app: 0.12, android_app: 0.18 } as Record<
    Platform,
    number
  >,
  /** P(step k+1 | step k) for add_to_cart, begin_checkout, add_payment_info, purchase. */
  baseRates: [0.45, 0.6, 0.8, 0.7],
  returningShare: 0.3,
  coupon: { share: 0.2, event: 'coupon_applied', step: 'purchase' as FaultStep, multiplier: 1.25 },
  shipping: {
    share: 0.35,
    event: 'shipping_info_viewed',
    property: 'method',
    step: 'begin_checkout' as FaultStep,
    methods: { standard: 0.5, express: 0.25, freight: 0.25 } as Record<string, number>,
    multipliers: { standard: 1, express: 1.3, freight: 0.5 } as Record<string, number>,
  },
} as const;

const APP = { name: 'Northwind Shop', namespace: 'com.example.shop' };
const ORIGIN = 'https://shop.example.com';
const HOUSEHOLD_STREAM = 7;
const platformPicker = new Weighted(Object.entries(FAULT_SIM.platformShares) as [Platform, number][]);
const methodPicker = new Weighted(Object.entries(FAULT_SIM.shipping.methods));

/** What ingest will store as the segment fields of a device's event at a time. */
function storedFields(
  d: Device,
  ms: number,
): Required<Omit<FaultSegment, 'app_version'>> & {
  app_version: string | null;
} {
  const isApp = d.platform === 'ios_app' || d.platform === 'android_app';
  return {
    os: d.os,
    browser: isApp ? '' : d.browser,
    country: d.country.code,
    app_version: appVersionAt(d, ms),
  };
}

/** The truth manifest of a fault simulation: the faults and what they did. */
export interface FaultTruth {
  readonly options: { users: number; days: number; seed: number; start: string; end: string };
  readonly releaseDate: string;
  readonly faults: readonly (FunnelFault & { readonly atRisk: number; readonly expectedLost: number })[];
  readonly parameters: typeof FAULT_SIM;
  readonly messages: number;
}

/**
 * A deterministic funnel simulation with planted faults (segments that convert worse at a step
 * from a date on), emitted as Segment archive lines so that they go through the real import.
 */
export class FaultFunnelSimulation {
  private readonly calendar: Calendar;
  private readonly releaseMs: number;
  private readonly faultFromMs: number[];
  private readonly counts: EmitCounts = { messages: 0, dropped: 0, sessions: 0, byEvent: new Map() };
  private readonly atRisk: number[];
  private readonly lost: number[];

  constructor(private readonly options: FaultSimOptions) {
    const endMs = Date.parse(`${options.end}T00:00:00Z`);
    if (Number.isNaN(endMs)) throw invalid(`end "${options.end}" is not a date`);
    this.calendar = new Calendar(endMs, options.days);
    const mid = this.calendar.startMs + Math.floor(options.days / 2) * DAY_MS;
    this.releaseMs = options.releaseDate ? Date.parse(`${options.releaseDate}T00:00:00Z`) : mid;
    this.faultFromMs = options.faults.map((f) => Date.parse(`${f.from}T00:00:00Z`));
    if (Number.isNaN(this.releaseMs) || this.faultFromMs.some(Number.isNaN))
      throw invalid('bad fault or release date');
    this.atRisk = options.faults.map(() => 0);
    this.lost = options.faults.map(() => 0);
  }

  /** Yields each person's lines in time order. */
  *chunks(): Generator<readonly string[]> {
    for (let i = 0; i < this.options.users; i++) {
      const rng = new Rng(this.options.seed, HOUSEHOLD_STREAM, i);
      const writer = new HouseholdWriter(rng, 'archive', this.counts, null);
      this.person(rng, writer);
      yield writer.flush();
    }
  }

  /** Yields every line. */
  *lines(): Generator<string> {
    for (const chunk of this.chunks()) yield* chunk;
  }

  /** The planted truth; complete once every line was consumed. */
  truth(): FaultTruth {
    const { users, days, seed } = this.options;
    return {
      options: {
        users,
        days,
        seed,
        start: new Date(this.calendar.startMs).toISOString(),
        end: new Date(this.calendar.endMs).toISOString(),
      },
      releaseDate: isoDate(this.releaseMs),
      faults: this.options.faults.map((f, i) => ({
        ...f,
        atRisk: this.atRisk[i] ?? 0,
        expectedLost: Math.round(this.lost[i] ?? 0),
      })),
      parameters: FAULT_SIM,
      messages: this.counts.messages,
    };
  }

  private person(rng: Rng, w: HouseholdWriter): void {
    const platform = platformPicker.sample(rng);
    const device = createDevice(rng, platform, APP, this.releaseMs);
    const offset = device.country.utcOffsetHours;
    let t = this.calendar.sampleStart(rng, CONSUMER, offset);
    if (rng.chance(FAULT_SIM.returningShare)) this.visit(rng, w, device, t - (1 + rng.int(10)) * DAY_MS);
    const s = this.visit(rng, w, device, t);
    const next = () => {
      t += 5000 + rng.int(90_000);
      return t;
    };
    w.track(s, next(), 'view_item', { item_id: `SKU-${100 + rng.int(60)}` });
    // Faults read the previous step's event (its app version, its time).
    let stepMs = t;
    const hasCoupon = rng.chance(FAULT_SIM.coupon.share);
    if (hasCoupon) w.track(s, next(), FAULT_SIM.coupon.event, { code: 'SPRING10' });
    const method = rng.chance(FAULT_SIM.shipping.share) ? methodPicker.sample(rng) : null;
    if (method) w.track(s, next(), FAULT_SIM.shipping.event, { [FAULT_SIM.shipping.property]: method });
    for (let k = 1; k < FAULT_STEPS.length; k++) {
      const step = FAULT_STEPS[k] as FaultStep;
      const base = (FAULT_SIM.baseRates[k - 1] ?? 0) * this.plantedMultiplier(step, hasCoupon, method);
      const p = Math.min(0.97, base * this.faultMultiplier(step, device, stepMs, base));
      if (!rng.chance(p)) return;
      stepMs = next();
      w.track(s, stepMs, step, {});
    }
  }

  private plantedMultiplier(step: FaultStep, hasCoupon: boolean, method: string | null): number {
    const { coupon, shipping } = FAULT_SIM;
    const c = step === coupon.step && hasCoupon ? coupon.multiplier : 1;
    const m = step === shipping.step && method ? (shipping.multipliers[method] ?? 1) : 1;
    return c * m;
  }

  /** The faults' combined multiplier for a person at risk of `step` at time `ms`; tallies the truth. */
  private faultMultiplier(step: FaultStep, device: Device, ms: number, base: number): number {
    const fields = storedFields(device, ms);
    let multiplier = 1;
    this.options.faults.forEach((f, i) => {
      if (f.step !== step || ms < (this.faultFromMs[i] ?? 0)) return;
      const isHit = Object.entries(f.segment).every(
        ([key, value]) => fields[key as keyof FaultSegment] === value,
      );
      if (!isHit) return;
      multiplier *= f.multiplier;
      this.atRisk[i] = (this.atRisk[i] ?? 0) + 1;
      this.lost[i] = (this.lost[i] ?? 0) + Math.min(0.97, base) * (1 - f.multiplier);
    });
    return multiplier;
  }

  /** A visit's first view (a landing page with its channel on the web, a screen in the app). */
  private visit(rng: Rng, w: HouseholdWriter, device: Device, t: number): Session {
    const s = w.session(device, ORIGIN, null, 0);
    if (device.platform === 'ios_app' || device.platform === 'android_app') {
      w.screen(s, t, 'Home');
      return s;
    }
    const touch = sampleTouch(rng, sampleChannel(rng, 'first'), 'shop');
    landingPage(w, s, t, touch, '/', 'Northwind Outfitters');
    return s;
  }
}

function invalid(reason: string): PathwiseError {
  return new PathwiseError('PW_CONFIG_INVALID', { reason: `fault simulation: ${reason}` });
}
