import { SEARCH_TERMS } from './catalog-data.js';
import { sampleTouch } from './channels.js';
import type { Shopper } from './ecommerce.js';
import { faultMultiplier, SHOP, SHOP_ORIGIN, SHOP_STEPS, stepRate } from './ecommerce-params.js';
import type { ShopTruth } from './ecommerce-truth.js';
import { hexId } from './format.js';
import { dwellMs, innerPage, landingPage, offlineDelayMs, type ScenarioContext } from './journey.js';
import type { HouseholdWriter, Session } from './message.js';
import { appVersionAt } from './population.js';
import type { Rng } from './rng.js';
import { MEAN_PRICE, PRODUCTS, type Product } from './shop-catalog.js';

type View = 'home' | 'category' | 'product' | 'search' | 'cart' | 'checkout' | 'confirmation';

const SCREEN_NAMES: Record<View, string> = {
  home: 'Home',
  category: 'Category',
  product: 'Product Detail',
  search: 'Search Results',
  cart: 'Cart',
  checkout: 'Checkout',
  confirmation: 'Order Confirmation',
};

/** A product as an items[] entry of GA4-style ecommerce events (quantity 1), as JSON. */
const ITEM_JSON = new Map(
  PRODUCTS.map((p) => [
    p,
    JSON.stringify({
      item_id: p.item_id,
      item_name: p.item_name,
      item_category: p.item_category,
      price: p.price,
      quantity: 1,
    }),
  ]),
);

function itemJson(p: Product): string {
  return ITEM_JSON.get(p) ?? '';
}

function itemsJson(products: readonly Product[]): string {
  return `[${products.map(itemJson).join(',')}]`;
}

/** view_item and add_to_cart properties of one product. */
function productProps(p: Product): string {
  return `{"currency":"USD","value":${p.price},"items":[${itemJson(p)}]}`;
}

function cartValue(cart: readonly Product[]): number {
  return Math.round(cart.reduce((sum, p) => sum + p.price, 0) * 100) / 100;
}

/** Emits the visits of shoppers: pages or screens, product views and the funnel steps. */
export class ShopSession {
  private t = 0;
  private isApp = false;

  constructor(
    private readonly ctx: ScenarioContext,
    private readonly w: HouseholdWriter,
    private readonly rng: Rng,
    private readonly truth: ShopTruth,
  ) {}

  /** Emits visit number `visit` of a shopper. */
  visit(p: Shopper, visit: number): void {
    const { rng, w } = this;
    const d = p.device;
    this.isApp = d.platform === 'ios_app' || d.platform === 'android_app';
    this.t = p.sessions[visit] ?? 0;
    const s = w.session(d, SHOP_ORIGIN, p.isIdentified ? p.userId : null, offlineDelayMs(rng, this.isApp));
    // A shared device: each person logs in at the start of each visit (see docs/sim.md).
    if (p.isShared) this.login(s, p);
    this.arrive(s, p, visit);
    if (p.isReturning && !p.isShared && visit === 0) this.login(s, p);
    if (visit === p.signUpVisit) {
      this.login(s, p);
      w.track(s, this.tick(1500), 'sign_up', { method: rng.chance(0.6) ? 'email' : 'google' });
    }
    this.browse(s, p);
    if (visit === 0 && p.reached >= 2) this.addToCart(s, p);
    if (visit === p.checkoutVisit) this.checkout(s, p);
  }

  private tick(meanMs: number): number {
    this.t += dwellMs(this.rng, meanMs);
    return this.t;
  }

  private login(s: Session, p: Shopper): void {
    this.w.identify(s, this.tick(800), p.userId, { email: `${p.userId}@example.com` });
    if (!p.isShared) p.isIdentified = true;
  }

  private arrive(s: Session, p: Shopper, visit: number): void {
    if (this.isApp) {
      const version = appVersionAt(p.device, this.t);
      this.w.track(s, this.t, 'Application Opened', { from_background: visit > 0, version });
      this.view(s, 'home', this.tick(800));
      return;
    }
    const touch = sampleTouch(this.rng, p.channels[visit] ?? 'direct', 'shop');
    const deep = touch.query !== '' || touch.channel === 'referral' || touch.channel === 'organic_search';
    const product = this.rng.pick(PRODUCTS);
    if (deep && p.browses) {
      landingPage(this.w, s, this.t, touch, `/products/${product.item_id.toLowerCase()}`, product.item_name);
      this.w.trackJson(s, this.tick(1500), 'view_item', productProps(product));
      p.lastViewed = product;
    } else landingPage(this.w, s, this.t, touch, '/', 'Northwind Outfitters');
  }

  private view(s: Session, view: View, t: number, detail = '', query = ''): void {
    if (this.isApp) {
      this.w.screen(s, t, SCREEN_NAMES[view], detail ? { detail } : {});
      return;
    }
    const path =
      view === 'home' ? '/' : view === 'product' || view === 'category' ? `/${view}s/${detail}` : `/${view}`;
    innerPage(this.w, s, t, path, detail ? `${SCREEN_NAMES[view]} – ${detail}` : SCREEN_NAMES[view], query);
  }

  private browse(s: Session, p: Shopper): void {
    const { rng, w } = this;
    const others = rng.poisson(1.2);
    for (let i = 0; i < others; i++) {
      if (rng.chance(0.35)) {
        const query = rng.pick(SEARCH_TERMS);
        this.view(s, 'search', this.tick(20_000), '', `q=${encodeURIComponent(query)}`);
        w.track(s, this.tick(1000), 'search', { query, results: 5 + rng.int(60) });
      } else this.view(s, 'category', this.tick(20_000), rng.pick(PRODUCTS).item_category);
    }
    if (!p.browses) return;
    const { mean, intentEffect } = SHOP.viewsPerVisit;
    const views = 1 + rng.poisson(mean * Math.exp(intentEffect * p.z));
    for (let i = 0; i < views; i++) {
      const product = rng.pick(PRODUCTS);
      this.view(s, 'product', this.tick(25_000), product.item_id.toLowerCase());
      w.trackJson(s, this.tick(1500), 'view_item', productProps(product));
      p.lastViewed = product;
    }
  }

  private addToCart(s: Session, p: Shopper): void {
    const first = p.lastViewed ?? PRODUCTS[0];
    if (!first) return;
    const added = [first];
    if (this.rng.chance(0.3)) added.push(this.rng.pick(PRODUCTS));
    for (const product of added) {
      this.w.trackJson(s, this.tick(8000), 'add_to_cart', productProps(product));
    }
    p.cart = added;
  }

  private checkout(s: Session, p: Shopper): void {
    const { rng, w } = this;
    if (p.checkoutVisit > 0) this.view(s, 'cart', this.tick(15_000));
    this.view(s, 'checkout', this.tick(10_000));
    const checkoutMs = this.t;
    if (!p.isIdentified && !p.isShared && rng.chance(SHOP.identifyAtCheckoutShare)) this.login(s, p);
    const { experiment } = SHOP;
    const variant =
      checkoutMs >= this.ctx.experimentStartMs ? (rng.chance(0.5) ? 'treatment' : 'control') : null;
    if (variant) {
      w.track(s, this.tick(300), experiment.exposureEvent, {
        [experiment.keyProperty]: experiment.key,
        [experiment.variantProperty]: variant,
      });
    }
    const value = cartValue(p.cart);
    const items = [...p.cart];
    w.trackJson(
      s,
      this.tick(1500),
      'begin_checkout',
      `{"currency":"USD","value":${value},"items":${itemsJson(items)}}`,
    );
    const { platform } = p.device;
    const pApi = stepRate(platform, p.isReturning, p.z, 2, faultMultiplier(p.device, checkoutMs));
    const pBuy = stepRate(
      platform,
      p.isReturning,
      p.z,
      3,
      variant === 'treatment' ? experiment.purchaseMultiplier : 1,
    );
    const upsell = experiment.upsellRate[variant ?? 'control'] ?? 0;
    this.truth.checkout(
      p,
      appVersionAt(p.device, checkoutMs),
      pApi,
      pBuy,
      variant,
      value + upsell * MEAN_PRICE,
    );
    if (!rng.chance(pApi)) return;
    this.truth.funnel.add(p.segments, SHOP_STEPS[4], pBuy);
    const paymentType = rng.pick(['credit_card', 'credit_card', 'paypal', 'apple_pay']);
    w.track(s, this.tick(40_000), SHOP_STEPS[3], { currency: 'USD', value, payment_type: paymentType });
    if (!rng.chance(pBuy)) return;
    if (rng.chance(upsell)) items.push(rng.pick(PRODUCTS));
    const revenue = Math.round(items.reduce((sum, x) => sum + x.price, 0) * 100) / 100;
    const orderId = `ORD-${hexId(rng, 10).toUpperCase()}`;
    w.trackJson(
      s,
      this.tick(20_000),
      SHOP_STEPS[4],
      `{"order_id":${JSON.stringify(orderId)},"revenue":${revenue},"value":${revenue},"currency":"USD","items":${itemsJson(items)}}`,
    );
    this.view(s, 'confirmation', this.tick(2000));
    p.hasPurchased = true;
  }
}
