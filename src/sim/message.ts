import { isoMs, uuid } from './format.js';
import { APP_RELEASE, appVersionAt, type Device } from './population.js';
import type { Rng } from './rng.js';

/**
 * How times are written. `archive`: like a Segment archive line — `timestamp` and `sentAt` on the
 * device clock (skewed when the device's clock is off) plus the true `receivedAt`, so that
 * `receivedAt − (sentAt − timestamp)` is the true time. `live`: what an SDK would send to a
 * server that uses its own clock as receipt time — the true `timestamp`, no `sentAt`/`receivedAt`.
 */
export type TimeFields = 'archive' | 'live';

/** A page as analytics.js describes it in context.page. */
export interface PageView {
  readonly path: string;
  readonly title: string;
  /** The query string without '?', '' when none. */
  readonly query: string;
  readonly referrer: string;
}

/** What is sent with every event of a visit: device, identity and the current page. */
export interface Session {
  readonly device: Device;
  /** The site's origin, e.g. https://shop.example.com. */
  readonly origin: string;
  userId: string | null;
  /** The "page":{…} context member of the current page ('' in apps). */
  pageJson: string;
  /** The context.campaign members while on a landing page with UTMs, else ''. */
  campaignJson: string;
  /** The URL of the current page (the next page's referrer). */
  url: string;
  /** Extra delivery delay of the whole visit (an app that was offline), ms. */
  readonly offlineDelayMs: number;
  /** Whether a message of this visit was written: a visit without one plants no session. */
  hasEmitted: boolean;
}

/** A tracking bug planted into the data: `event` is not sent between fromMs and toMs. */
export interface DropRule {
  readonly event: string;
  readonly fromMs: number;
  readonly toMs: number;
}

/** Realized counts, kept while writing (they describe exactly what was emitted). */
export interface EmitCounts {
  messages: number;
  dropped: number;
  /** Visits with at least one message: the sessions server-side sessionization must find. */
  sessions: number;
  readonly byEvent: Map<string, number>;
}

interface Pending {
  readonly t: number;
  readonly line: string;
}

/** Collects one household's messages as JSON lines and returns them in time order. */
export class HouseholdWriter {
  private pending: Pending[] = [];

  constructor(
    private readonly rng: Rng,
    private readonly timeFields: TimeFields,
    private readonly counts: EmitCounts,
    private readonly drop: DropRule | null,
  ) {}

  /**
   * Starts a visit on a device. `sameVisitAs` marks a new page state that continues an earlier
   * visit without a break (a signup right after browsing): it plants no second session.
   */
  session(
    device: Device,
    origin: string,
    userId: string | null,
    offlineDelayMs = 0,
    sameVisitAs?: Session,
  ): Session {
    const hasEmitted = sameVisitAs?.hasEmitted ?? false;
    return { device, origin, userId, pageJson: '', campaignJson: '', url: '', offlineDelayMs, hasEmitted };
  }

  /** A web page view; it becomes the page context of the events that follow. */
  page(s: Session, t: number, page: PageView, campaignJson = '', extra?: Record<string, unknown>): void {
    const search = page.query ? `?${page.query}` : '';
    const url = `${s.origin}${page.path}${search}`;
    // Written by hand in JSON.stringify's key order and escaping: this is the hottest object.
    const infoJson =
      `{"path":${JSON.stringify(page.path)},"referrer":${JSON.stringify(page.referrer)},` +
      `"search":${JSON.stringify(search)},"title":${JSON.stringify(page.title)},"url":${JSON.stringify(url)}}`;
    s.pageJson = `"page":${infoJson}`;
    s.campaignJson = campaignJson;
    s.url = url;
    const props = extra
      ? JSON.stringify({ path: page.path, referrer: page.referrer, search, title: page.title, url, ...extra })
      : infoJson;
    this.push(
      s,
      t,
      '$pageview',
      `"type":"page","name":${JSON.stringify(page.title)}`,
      `,"properties":${props}`,
    );
  }

  /** An app screen view. */
  screen(s: Session, t: number, name: string, properties: Record<string, unknown> = {}): void {
    this.screenJson(s, t, name, JSON.stringify(properties));
  }

  /** A track call. */
  track(s: Session, t: number, event: string, properties: Record<string, unknown> = {}): void {
    this.trackJson(s, t, event, JSON.stringify(properties));
  }

  /** A track call whose properties are already JSON (hand-written for the hottest shapes). */
  trackJson(s: Session, t: number, event: string, propertiesJson: string): void {
    if (this.drop && event === this.drop.event && t >= this.drop.fromMs && t < this.drop.toMs) {
      this.counts.dropped++;
      return;
    }
    const head = `"type":"track","event":${JSON.stringify(event)}`;
    this.push(s, t, event, head, `,"properties":${propertiesJson}`);
  }

  /** An app screen view whose properties are already JSON. */
  screenJson(s: Session, t: number, name: string, propertiesJson: string): void {
    const head = `"type":"screen","name":${JSON.stringify(name)}`;
    this.push(s, t, '$screen', head, `,"properties":${propertiesJson}`);
  }

  /** An identify call; later events of the visit carry the userId. */
  identify(s: Session, t: number, userId: string, traits: Record<string, unknown>): void {
    s.userId = userId;
    this.push(s, t, '$identify', '"type":"identify"', `,"traits":${JSON.stringify(traits)}`);
  }

  /** A group call (the account a user belongs to). */
  group(s: Session, t: number, groupId: string, traits: Record<string, unknown>): void {
    this.push(s, t, '$group', `"type":"group","groupId":"${groupId}"`, `,"traits":${JSON.stringify(traits)}`);
  }

  /** The household's lines in time order; resets the writer. */
  flush(): string[] {
    const sorted = this.pending.sort((a, b) => a.t - b.t);
    this.pending = [];
    return sorted.map((p) => p.line);
  }

  private push(s: Session, t: number, name: string, head: string, body: string): void {
    if (!s.hasEmitted) {
      s.hasEmitted = true;
      this.counts.sessions++;
    }
    const d = s.device;
    const ids = s.userId
      ? `"anonymousId":"${d.anonymousId}","userId":"${s.userId}"`
      : `"anonymousId":"${d.anonymousId}"`;
    const version = appVersionAt(d, t);
    let context = version === APP_RELEASE.after ? d.contextAfter : d.contextBefore;
    if (s.pageJson) context += `,${s.pageJson}`;
    if (s.campaignJson) context += `,"campaign":{${s.campaignJson}}`;
    const times = this.times(s, t);
    const line = `{${head},"messageId":"${uuid(this.rng)}",${ids},${times}${body},"context":{${context}}}`;
    this.pending.push({ t, line });
    this.counts.messages++;
    this.counts.byEvent.set(name, (this.counts.byEvent.get(name) ?? 0) + 1);
  }

  private times(s: Session, t: number): string {
    if (this.timeFields === 'live') return `"timestamp":"${isoMs(t)}"`;
    const d = s.device;
    const isApp = d.platform === 'ios_app' || d.platform === 'android_app';
    // analytics.js sends at once; mobile SDKs flush every 30 s (or 20 events).
    const sendDelay = isApp ? this.rng.int(30_000) + s.offlineDelayMs : 2 + this.rng.int(40);
    const sentAt = t + sendDelay;
    const receivedAt = sentAt + 20 + Math.round(this.rng.exponential(60));
    const skew = d.skewMs;
    return `"timestamp":"${isoMs(t + skew)}","sentAt":"${isoMs(sentAt + skew)}","receivedAt":"${isoMs(receivedAt)}"`;
  }
}
