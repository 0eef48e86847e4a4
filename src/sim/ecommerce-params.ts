import type { Platform } from './catalog-data.js';
import { appVersionAt, type Device } from './population.js';

/** The app of the shop scenario. */
export const SHOP_APP = { name: 'Northwind Shop', namespace: 'com.example.shop' };

/** The shop's web origin. */
export const SHOP_ORIGIN = 'https://shop.example.com';

/** The ecommerce funnel, in order (GA4 event names). */
export const SHOP_STEPS = [
  'view_item',
  'add_to_cart',
  'begin_checkout',
  'add_payment_info',
  'purchase',
] as const;

/** A funnel step after the first. */
export type ShopStep = (typeof SHOP_STEPS)[number];

/**
 * The planted generating parameters of the ecommerce scenario. A person has at most one
 * purchase journey in the range; step k's probability given step k−1 is
 * base[platform][k] × returningMultiplier[k] (returning users) × exp(β_k z − β_k²/2) for the
 * person's latent intent z ~ N(0, 1), times the fault and the experiment effect, capped at 0.97.
 */
export const SHOP = {
  platformShares: { desktop_web: 0.4, mobile_web: 0.35, ios_app: 0.12, android_app: 0.13 } as Record<
    Platform,
    number
  >,
  returningShare: 0.25,
  sharedDeviceShare: 0.05,
  /** Share of persons who look at products at all (new, returning). */
  browseShare: { new: 0.7, returning: 0.85 },
  /** P(step | previous step) for add_to_cart, begin_checkout, add_payment_info, purchase. */
  baseRates: {
    desktop_web: [0.32, 0.55, 0.8, 0.7],
    mobile_web: [0.22, 0.45, 0.7, 0.62],
    ios_app: [0.35, 0.6, 0.82, 0.75],
    android_app: [0.33, 0.58, 0.8, 0.72],
  } as Record<Platform, readonly number[]>,
  returningMultiplier: [1.25, 1.15, 1.05, 1.05],
  intentEffect: [0.35, 0.25, 0.1, 0.25],
  maxRate: 0.97,
  /** Share of carts finished in the next visit (cart abandonment and return), when one is within 6 days. */
  deferCheckoutShare: 0.35,
  /** All steps of a journey happen within this many days of its view_item. */
  windowDays: 7,
  /** New persons who log in at checkout (the rest check out as guests and stay anonymous). */
  identifyAtCheckoutShare: 0.85,
  /** New persons who create an account in some visit without buying. */
  signUpShare: 0.1,
  fault: {
    platform: 'android_app' as Platform,
    step: 'add_payment_info' as ShopStep,
    appVersion: '2.1',
    multiplier: 1 / 3,
    /** The app version is the one on the person's begin_checkout event (context.app.version). */
    versionOn: 'begin_checkout' as ShopStep,
  },
  experiment: {
    key: 'checkout_redesign',
    exposureEvent: '$experiment_exposure',
    keyProperty: 'experiment_key',
    variantProperty: 'variant',
    variants: ['control', 'treatment'] as const,
    /** The treatment multiplies P(purchase | add_payment_info) by this. */
    purchaseMultiplier: 1.1,
    /** Probability that a buyer adds the checkout upsell item, by variant. */
    upsellRate: { control: 0.1, treatment: 0.4 } as Record<string, number>,
  },
  /** Product views per visit: 1 + Poisson(mean × exp(γ z)) — the CUPED covariate's driver. */
  viewsPerVisit: { mean: 1.6, intentEffect: 0.45 },
} as const;

/**
 * P(step k+1 | step k) for a person: base × returning multiplier × lognormal intent factor
 * (mean one) × `multiplier` (fault, experiment), capped.
 */
export function stepRate(platform: Platform, isReturning: boolean, z: number, k: number, multiplier: number) {
  const base = SHOP.baseRates[platform][k] ?? 0;
  const ret = isReturning ? (SHOP.returningMultiplier[k] ?? 1) : 1;
  const beta = SHOP.intentEffect[k] ?? 0;
  return Math.min(SHOP.maxRate, base * ret * Math.exp(beta * z - (beta * beta) / 2) * multiplier);
}

/** The fault multiplier for add_payment_info at a begin_checkout time. */
export function faultMultiplier(device: Device, checkoutMs: number): number {
  const { fault } = SHOP;
  return device.platform === fault.platform && appVersionAt(device, checkoutMs) === fault.appVersion
    ? fault.multiplier
    : 1;
}
