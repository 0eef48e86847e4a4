import { CONSUMER, DAY_MS } from './calendar.js';
import type { Platform } from './catalog-data.js';
import { type Channel, type JourneyRole, sampleChannel } from './channels.js';
import { SHOP, SHOP_APP, SHOP_STEPS, stepRate } from './ecommerce-params.js';
import { ShopSession } from './ecommerce-session.js';
import { type EcommerceTruth, ShopTruth } from './ecommerce-truth.js';
import { type HouseholdInput, newUserId, planSessionStarts, type ScenarioContext } from './journey.js';
import { createDevice, type Device } from './population.js';
import { type Rng, Weighted } from './rng.js';
import type { Product } from './shop-catalog.js';
import type { BooksState } from './truth.js';

const platformPicker = new Weighted(Object.entries(SHOP.platformShares) as [Platform, number][]);

/** One shopper and the plan of their (single) purchase journey. */
export interface Shopper {
  readonly number: number;
  readonly userId: string;
  readonly device: Device;
  readonly isReturning: boolean;
  readonly isShared: boolean;
  /** Latent purchase intent, N(0, 1). */
  readonly z: number;
  readonly browses: boolean;
  readonly sessions: readonly number[];
  /** The channel of each web visit (null in the app). */
  readonly channels: readonly (Channel | null)[];
  /** Steps reached by plan before checkout: 0 (no product views), 1 (view_item), 2 (cart), 3 (checkout). */
  readonly reached: number;
  /** Visit index of begin_checkout, or −1 when the journey stops earlier. */
  readonly checkoutVisit: number;
  /** Visit index of an account sign-up without a purchase, or −1. */
  readonly signUpVisit: number;
  readonly segments: Readonly<Record<string, string>>;
  /** Whether events carry the userId (identified and not a shared device). */
  isIdentified: boolean;
  hasPurchased: boolean;
  lastViewed: Product | undefined;
  cart: Product[];
}

/** The `ecommerce` scenario: browse, search, cart, checkout and purchase over several visits. */
export class EcommerceScenario {
  private readonly truthBook = new ShopTruth();

  constructor(private readonly ctx: ScenarioContext) {}

  /** Generates one household: one shopper, or two sharing a device. */
  household(input: HouseholdInput): void {
    const { rng } = input;
    const platform = platformPicker.sample(rng);
    const device = createDevice(rng, platform, SHOP_APP, this.ctx.releaseMs);
    const isShared = input.personNumbers.length > 1;
    for (const number of input.personNumbers) {
      const shopper = this.plan(rng, number, device, isShared);
      const session = new ShopSession(this.ctx, input.writer, rng, this.truthBook);
      shopper.sessions.forEach((_, visit) => {
        session.visit(shopper, visit);
      });
      this.truthBook.person(shopper);
    }
  }

  /** Whether a new household shares its device between two persons. */
  isSharedHousehold(rng: Rng): boolean {
    return rng.chance(SHOP.sharedDeviceShare);
  }

  /** The planted truth of everything generated so far. */
  truth(): EcommerceTruth {
    return this.truthBook.manifest(this.ctx);
  }

  /** The accumulated truth as plain data. */
  truthState(): BooksState {
    return this.truthBook.state();
  }

  /** Adds the truth accumulated by another thread. */
  mergeTruth(state: BooksState): void {
    this.truthBook.merge(state);
  }

  private plan(rng: Rng, number: number, device: Device, isShared: boolean): Shopper {
    const isReturning = isShared || rng.chance(SHOP.returningShare);
    const z = rng.normal();
    const count = isReturning ? 2 + rng.geometric(0.3) : 1 + rng.geometric(0.55);
    const sessions = planSessionStarts(
      rng,
      this.ctx.calendar,
      CONSUMER,
      device.country.utcOffsetHours,
      count,
      2.5,
    );
    const segments = {
      all: 'all',
      platform: device.platform,
      user_type: isReturning ? 'returning' : 'new',
      country: device.country.code,
    };
    const browses = rng.chance(isReturning ? SHOP.browseShare.returning : SHOP.browseShare.new);
    const reached = browses ? this.planCart(rng, device.platform, isReturning, z, segments) : 0;
    const checkoutVisit = reached < 3 ? -1 : this.checkoutVisit(rng, sessions);
    const isWeb = device.platform === 'desktop_web' || device.platform === 'mobile_web';
    const channels = sessions.map((_, i): Channel | null => {
      if (!isWeb) return null;
      const role: JourneyRole = i === 0 ? 'first' : i === checkoutVisit ? 'closing' : 'middle';
      return sampleChannel(rng, role);
    });
    const signUpVisit =
      !isReturning && checkoutVisit < 0 && rng.chance(SHOP.signUpShare) ? rng.int(sessions.length) : -1;
    const userId = newUserId(rng, number);
    const base = { number, userId, device, isReturning, isShared, z, browses, sessions, channels };
    const state = { isIdentified: false, hasPurchased: false, lastViewed: undefined, cart: [] };
    return { ...base, reached, checkoutVisit, signUpVisit, segments, ...state };
  }

  /**
   * Decides add_to_cart and begin_checkout up front (their rates do not depend on time), so the
   * checkout visit is known and its channel can be drawn from the closing mix.
   */
  private planCart(
    rng: Rng,
    platform: Platform,
    isReturning: boolean,
    z: number,
    segments: Record<string, string>,
  ) {
    for (const k of [0, 1]) {
      const p = stepRate(platform, isReturning, z, k, 1);
      this.truthBook.funnel.add(segments, SHOP_STEPS[k + 1] ?? '', p);
      if (!rng.chance(p)) return k + 1;
    }
    return 3;
  }

  private checkoutVisit(rng: Rng, sessions: readonly number[]): number {
    const second = sessions[1];
    const first = sessions[0] ?? 0;
    const canDefer = second !== undefined && second - first <= (SHOP.windowDays - 1) * DAY_MS;
    return canDefer && rng.chance(SHOP.deferCheckoutShare) ? 1 : 0;
  }
}
