import { LineBuffer, utf8 } from './line-buffer.js';
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
  /** `,"page":{…}`, the context member of the current page, as UTF-8 (null in apps). */
  pageUtf8: Uint8Array | null;
  /** `,"campaign":{…}` while on a landing page with UTMs, as UTF-8, else null. */
  campaignUtf8: Uint8Array | null;
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

const OPEN_TYPE = utf8('{"type":');
const MESSAGE_ID = utf8(',"messageId":"');
const USER_ID = utf8(',"userId":"');
const TIMESTAMP = utf8(',"timestamp":"');
const SENT_AT = utf8('","sentAt":"');
const RECEIVED_AT = utf8('","receivedAt":"');
const PROPERTIES = utf8(',"properties":');
const TRAITS = utf8(',"traits":');
const PAGE_NAME = utf8('"page","name":');
const IDENTIFY = utf8('"identify"');
const GROUP_ID = utf8('"group","groupId":"');
const PAGE_PATH = utf8(',"page":{"path":');
const PAGE_REFERRER = utf8(',"referrer":');
const PAGE_SEARCH = utf8(',"search":');
const PAGE_TITLE = utf8(',"title":');
const PAGE_URL = utf8(',"url":');
/** Where page context objects are written before they are copied out. */
const scratch = new LineBuffer(1 << 12);
/** `,"page":` before a page's info object: the $pageview's properties are that object. */
const PAGE_KEY_BYTES = ',"page":'.length;
const QUOTE = 34;
const CLOSE = 125;
const NEWLINE = 10;

/** `"track","event":"…"` and `"screen","name":"…"` of the names seen so far, pre-encoded. */
const trackHeads = new Map<string, Uint8Array>();
const screenHeads = new Map<string, Uint8Array>();

function head(cache: Map<string, Uint8Array>, prefix: string, name: string): Uint8Array {
  let bytes = cache.get(name);
  if (!bytes) {
    bytes = utf8(`${prefix}${JSON.stringify(name)}`);
    cache.set(name, bytes);
  }
  return bytes;
}

/**
 * Writes one household's messages as JSON lines (UTF-8, each ending in a newline) into a
 * LineBuffer and, when done, puts them in time order. Lines are written piece by piece in
 * JSON.stringify's key order and escaping, never built as strings.
 */
export class HouseholdWriter {
  /** Where this household's lines start in the buffer. */
  private readonly from: number;
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly times: number[] = [];
  /** The current line's sentAt and receivedAt (drawn in begin, written in ids). */
  private sentAt = 0;
  private receivedAt = 0;

  constructor(
    private readonly rng: Rng,
    private readonly timeFields: TimeFields,
    private readonly counts: EmitCounts,
    private readonly drop: DropRule | null,
    private readonly out: LineBuffer = new LineBuffer(1 << 14),
  ) {
    this.from = out.used;
  }

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
    return {
      device,
      origin,
      userId,
      pageUtf8: null,
      campaignUtf8: null,
      url: '',
      offlineDelayMs,
      hasEmitted,
    };
  }

  /** A web page view; it becomes the page context of the events that follow. */
  page(s: Session, t: number, page: PageView, campaignJson = '', extra?: Record<string, unknown>): void {
    const search = page.query ? `?${page.query}` : '';
    const url = `${s.origin}${page.path}${search}`;
    // Written by hand in JSON.stringify's key order and escaping: this is the hottest object.
    const p = scratch;
    p.used = 0;
    p.raw(PAGE_PATH);
    p.jsonString(page.path);
    p.raw(PAGE_REFERRER);
    p.jsonString(page.referrer);
    p.raw(PAGE_SEARCH);
    p.jsonString(search);
    p.raw(PAGE_TITLE);
    p.jsonString(page.title);
    p.raw(PAGE_URL);
    p.jsonString(url);
    p.byte(CLOSE);
    const pageUtf8 = p.copy();
    s.pageUtf8 = pageUtf8;
    s.campaignUtf8 = campaignJson ? utf8(`,"campaign":{${campaignJson}}`) : null;
    s.url = url;
    const o = this.out;
    this.begin(s, t, '$pageview');
    o.raw(PAGE_NAME);
    o.jsonString(page.title);
    this.ids(s);
    o.raw(PROPERTIES);
    if (extra)
      o.text(
        JSON.stringify({
          path: page.path,
          referrer: page.referrer,
          search,
          title: page.title,
          url,
          ...extra,
        }),
      );
    else o.raw(pageUtf8.subarray(PAGE_KEY_BYTES));
    this.end(s, t);
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
    const o = this.openTrack(s, t, event);
    if (!o) return;
    o.text(propertiesJson);
    this.closeLine(s, t);
  }

  /**
   * Opens a track line up to `"properties":`: the caller writes the properties (JSON, in
   * JSON.stringify's key order and escaping) into the returned buffer and then calls
   * closeLine. Null when the event is dropped: nothing is to be written.
   */
  openTrack(s: Session, t: number, event: string): LineBuffer | null {
    if (this.drop && event === this.drop.event && t >= this.drop.fromMs && t < this.drop.toMs) {
      this.counts.dropped++;
      return null;
    }
    this.begin(s, t, event);
    this.out.raw(head(trackHeads, '"track","event":', event));
    this.ids(s);
    this.out.raw(PROPERTIES);
    return this.out;
  }

  /** Closes a line opened by openTrack (with the same session and time). */
  closeLine(s: Session, t: number): void {
    this.end(s, t);
  }

  /** An app screen view whose properties are already JSON. */
  screenJson(s: Session, t: number, name: string, propertiesJson: string): void {
    this.begin(s, t, '$screen');
    this.out.raw(head(screenHeads, '"screen","name":', name));
    this.ids(s);
    this.out.raw(PROPERTIES);
    this.out.text(propertiesJson);
    this.end(s, t);
  }

  /** An identify call; later events of the visit carry the userId. */
  identify(s: Session, t: number, userId: string, traits: Record<string, unknown>): void {
    s.userId = userId;
    this.begin(s, t, '$identify');
    this.out.raw(IDENTIFY);
    this.ids(s);
    this.out.raw(TRAITS);
    this.out.text(JSON.stringify(traits));
    this.end(s, t);
  }

  /** A group call (the account a user belongs to). */
  group(s: Session, t: number, groupId: string, traits: Record<string, unknown>): void {
    this.begin(s, t, '$group');
    this.out.raw(GROUP_ID);
    this.out.text(groupId);
    this.out.byte(QUOTE);
    this.ids(s);
    this.out.raw(TRAITS);
    this.out.text(JSON.stringify(traits));
    this.end(s, t);
  }

  /**
   * Puts the household's lines in time order (a stable sort, in place) and returns how many
   * there are; they are bytes [from, out.used) of the buffer.
   */
  finish(): number {
    const { times } = this;
    let isSorted = true;
    for (let k = 1; k < times.length && isSorted; k++)
      isSorted = (times[k - 1] as number) <= (times[k] as number);
    if (!isSorted) {
      const order = times.map((_, k) => k);
      order.sort((a, b) => (times[a] as number) - (times[b] as number) || a - b);
      this.out.reorder(this.from, this.starts, this.ends, order);
    }
    return times.length;
  }

  /** The household's lines in time order, as strings; removes them from the buffer. */
  flush(): string[] {
    const count = this.finish();
    const o = this.out;
    const text = o.bytes.toString('utf8', this.from, o.used);
    o.used = this.from;
    this.starts.length = 0;
    this.ends.length = 0;
    this.times.length = 0;
    if (count === 0) return [];
    const lines = text.split('\n');
    lines.pop();
    return lines;
  }

  /**
   * Opens a line: `{"type":`, then the caller writes the rest of the head. The random draws of
   * the times come before the messageId's, as they always did.
   */
  private begin(s: Session, t: number, name: string): void {
    if (!s.hasEmitted) {
      s.hasEmitted = true;
      this.counts.sessions++;
    }
    this.counts.messages++;
    this.counts.byEvent.set(name, (this.counts.byEvent.get(name) ?? 0) + 1);
    this.starts.push(this.out.used);
    this.times.push(t);
    if (this.timeFields === 'archive') {
      const d = s.device;
      const isApp = d.platform === 'ios_app' || d.platform === 'android_app';
      // analytics.js sends at once; mobile SDKs flush every 30 s (or 20 events).
      const sendDelay = isApp ? this.rng.int(30_000) + s.offlineDelayMs : 2 + this.rng.int(40);
      this.sentAt = t + sendDelay;
      this.receivedAt = this.sentAt + 20 + Math.round(this.rng.exponential(60));
    }
    this.out.raw(OPEN_TYPE);
  }

  /** The messageId, the ids and the times. */
  private ids(s: Session): void {
    const o = this.out;
    o.raw(MESSAGE_ID);
    o.uuid(this.rng);
    o.raw(s.device.idUtf8);
    if (s.userId) {
      o.raw(USER_ID);
      o.text(s.userId);
      o.byte(QUOTE);
    }
    o.raw(TIMESTAMP);
    if (this.timeFields === 'live') o.iso(this.times[this.times.length - 1] as number);
    else {
      const skew = s.device.skewMs;
      o.iso((this.times[this.times.length - 1] as number) + skew);
      o.raw(SENT_AT);
      o.iso(this.sentAt + skew);
      o.raw(RECEIVED_AT);
      o.iso(this.receivedAt);
    }
    o.byte(QUOTE);
  }

  /** The context and the end of the line. */
  private end(s: Session, t: number): void {
    const o = this.out;
    const d = s.device;
    o.raw(appVersionAt(d, t) === APP_RELEASE.after ? d.contextAfterUtf8 : d.contextBeforeUtf8);
    if (s.pageUtf8) o.raw(s.pageUtf8);
    if (s.campaignUtf8) o.raw(s.campaignUtf8);
    o.byte(CLOSE);
    o.byte(CLOSE);
    o.byte(NEWLINE);
    this.ends.push(o.used);
  }
}
