import {
  type EventRow,
  LIMITS,
  type MessageType,
  newMessageId,
  parseInstantUs,
  type RejectionCode,
  type SegmentMessage,
} from '../core/index.js';
import {
  classifyChannel,
  countryFromIp,
  parseUrl,
  parseUserAgent,
  referrerDomain,
  utmFromCampaign,
} from './enrich/index.js';
import type { MinimizeRules } from './policy.js';

/** What normalize needs to know about where and when a message arrived. */
export interface Arrival {
  readonly projectId: string;
  /** Receipt time: the server's clock over HTTP; a line's own `receivedAt` on import. */
  readonly receivedAtUs: number;
  /** When false (an imported line without receivedAt), timestamps are kept as sent. */
  readonly isReceiptKnown: boolean;
  readonly insertedAtUs: number;
  /** The batch-level `sentAt`, used when a message has none of its own. */
  readonly batchSentAt?: string | number | null | undefined;
  /** The client address of the HTTP request, used when context.ip is absent. */
  readonly requestIp?: string | null | undefined;
  /** The HTTP request's User-Agent, used by cookieless mode when context.userAgent is absent. */
  readonly requestUserAgent?: string | null | undefined;
  /** The project's minimization rules (README, "Privacy"); none when absent. */
  readonly rules?: MinimizeRules | null | undefined;
}

/** A normalized row, or the time rule it broke. */
export type Normalized =
  | { readonly isValid: true; readonly row: EventRow }
  | { readonly isValid: false; readonly code: RejectionCode; readonly reason: string };

type Obj = Record<string, unknown>;

const EVENT_NAME: Record<MessageType, string | null> = {
  track: null,
  page: '$pageview',
  screen: '$screen',
  identify: '$identify',
  group: '$group',
  alias: '$create_alias',
};

function obj(value: unknown): Obj | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : undefined;
}

function str(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function json(value: Obj | undefined | null): string | null {
  return value ? JSON.stringify(value) : null;
}

function badTime(code: RejectionCode, reason: string): Normalized {
  return { isValid: false, code, reason };
}

/**
 * Event time with clock-skew correction (ARCHITECTURE.md, "Event model" and "Receipt time"):
 * timestamp = receivedAt − (sentAt − client time). The client time is `originalTimestamp` when
 * present (Segment archives keep the device clock there and the corrected time in `timestamp`),
 * else `timestamp`.
 */
function eventTime(m: SegmentMessage, at: Arrival): { us: number; sentAtUs: number | null } | Normalized {
  const clientRaw = m.originalTimestamp ?? m.timestamp;
  const clientUs = clientRaw === undefined || clientRaw === null ? null : parseInstantUs(clientRaw);
  if (clientRaw !== undefined && clientRaw !== null && clientUs === null) {
    return badTime('timestamp_invalid', `timestamp "${String(clientRaw)}" is not an ISO-8601 instant`);
  }
  const sentRaw = m.sentAt ?? at.batchSentAt;
  const sentAtUs = sentRaw === undefined || sentRaw === null ? null : parseInstantUs(sentRaw);
  if (sentRaw !== undefined && sentRaw !== null && sentAtUs === null) {
    return badTime('timestamp_invalid', `sentAt "${String(sentRaw)}" is not an ISO-8601 instant`);
  }
  let us = clientUs ?? at.receivedAtUs;
  if (clientUs !== null && sentAtUs !== null && at.isReceiptKnown)
    us = at.receivedAtUs - (sentAtUs - clientUs);
  if (us < LIMITS.minTimestampUs) {
    return badTime('timestamp_too_old', 'the timestamp is before 2000-01-01 after skew correction');
  }
  if (us > at.receivedAtUs + LIMITS.maxFutureUs) {
    return badTime(
      'timestamp_in_future',
      'the timestamp is more than 24 h after receipt, after skew correction',
    );
  }
  return { us, sentAtUs };
}

function pageParts(context: Obj | undefined, properties: Obj | undefined) {
  const page = obj(context?.page);
  const url = str(page?.url) ?? str(properties?.url);
  const parsed = url ? parseUrl(url) : null;
  const referrer = str(page?.referrer) ?? str(properties?.referrer);
  const campaign = utmFromCampaign(obj(context?.campaign));
  const utm = {
    source: campaign.source ?? parsed?.utm.source ?? null,
    medium: campaign.medium ?? parsed?.utm.medium ?? null,
    campaign: campaign.campaign ?? parsed?.utm.campaign ?? null,
    term: campaign.term ?? parsed?.utm.term ?? null,
    content: campaign.content ?? parsed?.utm.content ?? null,
  };
  const refDomain = referrer ? referrerDomain(referrer) : null;
  const hasPageContext = url !== null || referrer !== null || utm.source !== null || utm.medium !== null;
  const channel = hasPageContext
    ? classifyChannel({
        utmSource: utm.source,
        utmMedium: utm.medium,
        utmCampaign: utm.campaign,
        referrer,
        referrerDomain: refDomain,
        pageHost: parsed?.host ?? null,
        clickId: parsed?.clickId ?? null,
      })
    : null;
  return {
    url: parsed?.url ?? url,
    path: parsed?.path ?? str(page?.path) ?? str(properties?.path),
    host: parsed?.host ?? null,
    search: parsed?.search ?? (str(page?.search)?.replace(/^\?/, '') || null),
    title: str(page?.title) ?? str(properties?.title),
    referrer,
    referrerDomain: refDomain,
    utm,
    channel,
  };
}

function deviceParts(context: Obj | undefined) {
  const ua = str(context?.userAgent);
  const parsed = ua ? parseUserAgent(ua) : null;
  const device = obj(context?.device);
  const os = obj(context?.os);
  const deviceType = str(device?.type)?.toLowerCase();
  return {
    deviceType:
      parsed?.deviceType ??
      (deviceType === 'ios' || deviceType === 'android' ? 'mobile' : (deviceType ?? null)),
    browser: parsed?.browser ?? null,
    browserVersion: parsed?.browserVersion ?? null,
    os: parsed?.os ?? str(os?.name),
    osVersion: parsed?.osVersion ?? str(os?.version),
  };
}

/**
 * The address: the one stored, and the one the country and cookieless id come from (as sent:
 * masking rules never alter it).
 */
function addressParts(sentContext: Obj | undefined, context: Obj | undefined, at: Arrival) {
  const rawIp = str(sentContext?.ip) ?? at.requestIp ?? null;
  const storedIp = at.rules?.storedIp;
  const ip = rawIp !== null && storedIp ? storedIp(rawIp) : rawIp;
  // context.ip is stored as the column is: minimized after the country lookup.
  let stored = context;
  if (storedIp && context && context.ip !== undefined) {
    stored = { ...context };
    if (ip === null) delete stored.ip;
    else stored.ip = ip;
  }
  return { rawIp, ip, context: stored };
}

/** Turns a checked Segment message into an events row (ARCHITECTURE.md, "Event model"). */
export function normalizeMessage(m: SegmentMessage, type: MessageType, at: Arrival): Normalized {
  const time = eventTime(m, at);
  if ('isValid' in time) return time;
  const mask = at.rules?.maskObject;
  const sentContext = obj(m.context);
  const context = sentContext && mask ? mask(sentContext) : sentContext;
  const properties = obj(m.properties) ?? {};
  const userId = str(m.userId);
  const withNames: Obj = type === 'page' || type === 'screen' ? { ...properties } : properties;
  if ((type === 'page' || type === 'screen') && m.name && withNames.name === undefined)
    withNames.name = m.name;
  if (type === 'page' && m.category && withNames.category === undefined) withNames.category = m.category;
  // Masked before anything is derived from them: URL columns come from masked page fields.
  const eventProps = mask ? mask(withNames) : withNames;
  const sentTraits = obj(m.traits);
  const traits = sentTraits && mask ? mask(sentTraits) : sentTraits;
  const page = pageParts(context, eventProps);
  const device = deviceParts(context);
  const address = addressParts(sentContext, context, at);
  const ip = address.ip;
  const cookieless = at.rules?.cookielessId;
  const anonymousId = cookieless
    ? cookieless(address.rawIp, str(sentContext?.userAgent) ?? at.requestUserAgent ?? null, at.receivedAtUs)
    : str(m.anonymousId);
  const library = obj(context?.library);
  const clientSessionId = str(context?.sessionId) ?? str(properties.$session_id);
  const row: EventRow = {
    projectId: at.projectId,
    messageId: m.messageId ?? newMessageId(),
    type,
    event: EVENT_NAME[type] ?? String(m.event),
    timestampUs: time.us,
    receivedAtUs: at.receivedAtUs,
    sentAtUs: time.sentAtUs,
    insertedAtUs: at.insertedAtUs,
    distinctId: (userId ?? anonymousId) as string,
    anonymousId,
    userId,
    // Sessionization replaces session_id only where the client sent none (README, "Sessions").
    sessionId: clientSessionId,
    groupId: str(m.groupId),
    previousId: str(m.previousId),
    url: page.url,
    path: page.path,
    host: page.host,
    search: page.search,
    title: page.title,
    referrer: page.referrer,
    referrerDomain: page.referrerDomain,
    utmSource: page.utm.source,
    utmMedium: page.utm.medium,
    utmCampaign: page.utm.campaign,
    utmTerm: page.utm.term,
    utmContent: page.utm.content,
    channel: page.channel,
    ...device,
    country: str(obj(context?.location)?.country) ?? (address.rawIp ? countryFromIp(address.rawIp) : null),
    locale: str(context?.locale),
    ip,
    libraryName: str(library?.name),
    libraryVersion: str(library?.version),
    appVersion: str(obj(context?.app)?.version) ?? str(properties.app_version),
    properties: JSON.stringify(eventProps),
    traits: json(traits),
    context: json(address.context),
    personId: null,
    clientSessionId,
  };
  return { isValid: true, row };
}
