import { CHANNEL_ROLE_WEIGHTS, CHANNELS, channelShares } from './channels.js';
import type { Shopper } from './ecommerce.js';
import { SHOP, SHOP_STEPS } from './ecommerce-params.js';
import { isoDate } from './format.js';
import type { ScenarioContext } from './journey.js';
import {
  type Books,
  type BooksState,
  booksState,
  CountBook,
  MeanBook,
  mergeBooks,
  RateBook,
  type RateTable,
  round,
} from './truth.js';

/** The ecommerce part of the truth manifest (field meanings: docs/sim.md). */
export interface EcommerceTruth {
  readonly persons: number;
  readonly parameters: typeof SHOP;
  readonly funnel: {
    readonly steps: readonly string[];
    readonly unit: string;
    readonly windowDays: number;
    readonly expected: RateTable;
  };
  readonly fault: typeof SHOP.fault & { readonly releaseDate: string; readonly expected: RateTable };
  readonly experiment: typeof SHOP.experiment & {
    readonly start: string;
    readonly split: Record<string, number>;
    readonly exposedAt: string;
    readonly conversionEvent: string;
    readonly covariate: string;
    readonly expected: {
      readonly conversion: RateTable;
      readonly revenuePerExposed: Record<string, { units: number; mean: number }>;
      readonly conversionLift: number;
      readonly revenuePerExposedLift: number;
    };
  };
  readonly attribution: {
    readonly conversionEvent: string;
    readonly touch: string;
    readonly roleWeights: typeof CHANNEL_ROLE_WEIGHTS;
    readonly roleShares: Record<string, Record<string, number>>;
    readonly initiators: string[];
    readonly closers: string[];
    readonly purchasers: {
      firstTouch: Record<string, number>;
      lastTouch: Record<string, number>;
      touches: Record<string, number>;
    };
  };
}

/** Accumulates the ecommerce truth while households are generated. */
export class ShopTruth {
  /** Expected step rates by segment. */
  readonly funnel = new RateBook();
  private readonly fault = new RateBook();
  private readonly experiment = new RateBook();
  private readonly revenue = new MeanBook();
  private readonly firstTouch = new CountBook();
  private readonly lastTouch = new CountBook();
  private readonly touches = new CountBook();
  private persons = 0;
  private readonly books: Books = {
    rates: [this.funnel, this.fault, this.experiment],
    counts: [this.firstTouch, this.lastTouch, this.touches],
    means: [this.revenue],
  };

  /** The accumulated truth as plain data. */
  state(): BooksState {
    return booksState(this.persons, this.books);
  }

  /** Adds the truth accumulated by another thread. */
  merge(state: BooksState): void {
    this.persons += state.persons;
    mergeBooks(this.books, state);
  }

  /** Records a checkout: add_payment_info at risk (fault by app version) and the exposure. */
  checkout(
    p: Shopper,
    appVersion: string | null,
    pApi: number,
    pBuy: number,
    variant: string | null,
    orderValue: number,
  ) {
    this.funnel.add(p.segments, SHOP_STEPS[3], pApi);
    if (appVersion !== null)
      this.fault.add({ app: `${p.device.platform} ${appVersion}` }, SHOP_STEPS[3], pApi);
    if (variant !== null) {
      this.experiment.add({ variant }, SHOP_STEPS[4], pApi * pBuy);
      this.revenue.add(variant, pApi * pBuy * orderValue);
    }
  }

  /** Records a finished person (touches of web purchasers). */
  person(p: Shopper): void {
    this.persons++;
    if (!p.hasPurchased || p.channels[0] === null) return;
    const journey = p.channels.slice(0, p.checkoutVisit + 1);
    this.firstTouch.add(journey[0] ?? 'direct');
    this.lastTouch.add(journey[journey.length - 1] ?? 'direct');
    for (const c of journey) this.touches.add(c ?? 'direct');
  }

  /** The manifest section. */
  manifest(ctx: ScenarioContext): EcommerceTruth {
    const conversion = this.experiment.table();
    const revenue = this.revenue.toJSON();
    const rate = (v: string) => conversion.variant?.[v]?.[SHOP_STEPS[4]]?.rate ?? Number.NaN;
    const first = channelShares('first');
    const closing = channelShares('closing');
    return {
      persons: this.persons,
      parameters: SHOP,
      funnel: {
        steps: SHOP_STEPS,
        unit: 'person: each step counted once per person, in order, all within windowDays of view_item',
        windowDays: SHOP.windowDays,
        expected: this.funnel.table(),
      },
      fault: { ...SHOP.fault, releaseDate: isoDate(ctx.releaseMs), expected: this.fault.table() },
      experiment: {
        ...SHOP.experiment,
        start: new Date(ctx.experimentStartMs).toISOString(),
        split: { control: 0.5, treatment: 0.5 },
        exposedAt: 'begin_checkout (first and only exposure per person)',
        conversionEvent: 'purchase after exposure',
        covariate: 'view_item events of the person before exposure (driven by the latent intent z)',
        expected: {
          conversion,
          revenuePerExposed: revenue,
          conversionLift: round(rate('treatment') / rate('control') - 1),
          revenuePerExposedLift: round((revenue.treatment?.mean ?? 0) / (revenue.control?.mean ?? 1) - 1),
        },
      },
      attribution: {
        conversionEvent: 'purchase',
        touch: 'channel of each web visit (its landing page); app visits carry no touch',
        roleWeights: CHANNEL_ROLE_WEIGHTS,
        roleShares: { first, middle: channelShares('middle'), closing },
        initiators: CHANNELS.filter((c) => (first[c] ?? 0) > 2 * (closing[c] ?? 0)),
        closers: CHANNELS.filter((c) => (closing[c] ?? 0) > 2 * (first[c] ?? 0)),
        purchasers: {
          firstTouch: this.firstTouch.toJSON(),
          lastTouch: this.lastTouch.toJSON(),
          touches: this.touches.toJSON(),
        },
      },
    };
  }
}
