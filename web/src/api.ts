/**
 * The dashboard's only door to the server: every request goes through `request` below, so the
 * way it authenticates (today a project read key as a Bearer token, kept in localStorage;
 * later a user session) changes in this one file.
 */
import type {
  AnyResult,
  AnySpec,
  Catalog,
  Dashboard,
  DashboardTile,
  DateRange,
  ListedEvent,
  PersonDetail,
  PersonRow,
  ResultOf,
  SavedInsight,
} from './types';

const STORAGE_KEY = 'pathwise.readKey';
const AUTH_EVENT = 'pathwise:auth';

/** An error answer of the API: its stable code and the server's message. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/**
 * Takes a read key from the URL fragment (`#key=…`, what `pathwise serve` and `demo` print),
 * stores it and removes it from the address bar. The fragment never reaches the server.
 */
export function takeKeyFromFragment(): void {
  const match = /(?:^#|&)key=([^&]+)/.exec(window.location.hash);
  if (!match?.[1]) return;
  setKey(decodeURIComponent(match[1]));
  const url = `${window.location.pathname}${window.location.search}`;
  window.history.replaceState(window.history.state, '', url);
}

/** The stored read key, if any. */
export function getKey(): string | null {
  return window.localStorage.getItem(STORAGE_KEY);
}

/** Stores a read key (the key form, the URL fragment). */
export function setKey(key: string): void {
  window.localStorage.setItem(STORAGE_KEY, key.trim());
  window.dispatchEvent(new Event(AUTH_EVENT));
}

/** Forgets the key (sign out, or the server refused it). */
export function clearKey(): void {
  window.localStorage.removeItem(STORAGE_KEY);
  window.dispatchEvent(new Event(AUTH_EVENT));
}

/** Calls back when the key is set or cleared; returns the unsubscribe function. */
export function onAuthChange(listener: () => void): () => void {
  window.addEventListener(AUTH_EVENT, listener);
  window.addEventListener('storage', listener);
  return () => {
    window.removeEventListener(AUTH_EVENT, listener);
    window.removeEventListener('storage', listener);
  };
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = {};
  const key = getKey();
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const init: RequestInit = { method, headers };
  if (body !== undefined) init.body = JSON.stringify(body);
  if (signal) init.signal = signal;
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError(0, 'NETWORK', `the server did not answer (${String(err)})`);
  }
  const text = await res.text();
  const parsed: unknown = text ? JSON.parse(text) : null;
  if (res.ok) return parsed as T;
  const error = (parsed ?? {}) as { code?: string; message?: string };
  // A refused key is forgotten, so the key form comes back.
  if (res.status === 401) clearKey();
  throw new ApiError(res.status, error.code ?? `HTTP_${res.status}`, error.message ?? res.statusText);
}

function qs(params: Record<string, string | number | undefined>): string {
  const pairs = Object.entries(params).filter(
    (p): p is [string, string | number] => p[1] !== undefined && p[1] !== '',
  );
  return pairs.length === 0 ? '' : `?${new URLSearchParams(pairs.map(([k, v]) => [k, String(v)]))}`;
}

/** POST /api/query: runs an insight or sessions spec. */
export function runQuery<S extends AnySpec>(spec: S, signal?: AbortSignal): Promise<ResultOf<S['kind']>> {
  return request('POST', '/api/query', spec, signal);
}

/** GET /api/events: the newest events. */
export async function listEvents(
  filter: { event?: string; person?: string; property?: string; value?: string; limit?: number },
  signal?: AbortSignal,
): Promise<ListedEvent[]> {
  const r = await request<{ events: ListedEvent[] }>('GET', `/api/events${qs(filter)}`, undefined, signal);
  return r.events;
}

/** GET /api/catalog: event names and property keys for suggestions. */
export function readCatalog(event?: string, signal?: AbortSignal): Promise<Catalog> {
  return request('GET', `/api/catalog${qs({ event })}`, undefined, signal);
}

/** GET /api/persons: search. */
export function searchPersons(
  q: string,
  page: { limit?: number; offset?: number },
  signal?: AbortSignal,
): Promise<{ total: number; items: PersonRow[] }> {
  return request('GET', `/api/persons${qs({ q, ...page })}`, undefined, signal);
}

/** GET /api/persons/:id: profile and timeline. */
export function readPerson(id: string, signal?: AbortSignal): Promise<PersonDetail> {
  return request('GET', `/api/persons/${encodeURIComponent(id)}`, undefined, signal);
}

/** Saved insights. */
export async function listInsights(signal?: AbortSignal): Promise<SavedInsight[]> {
  return (await request<{ insights: SavedInsight[] }>('GET', '/api/insights', undefined, signal)).insights;
}

export function readInsight(id: string, signal?: AbortSignal): Promise<SavedInsight> {
  return request('GET', `/api/insights/${encodeURIComponent(id)}`, undefined, signal);
}

export function saveInsight(
  fields: { name: string; description?: string; spec: AnySpec },
  id?: string,
): Promise<SavedInsight> {
  return id
    ? request('PUT', `/api/insights/${encodeURIComponent(id)}`, fields)
    : request('POST', '/api/insights', fields);
}

/** A saved insight's result (cached up to `maxAgeSec`, default 300 s), optionally over another range. */
export function runSavedInsight(
  id: string,
  options: { dateRange?: DateRange; from?: string; to?: string; maxAgeSec?: number },
  signal?: AbortSignal,
): Promise<{ insightId: string; computedAt: string; isCached: boolean; result: AnyResult }> {
  return request('POST', `/api/insights/${encodeURIComponent(id)}/result`, options, signal);
}

export async function deleteInsight(id: string): Promise<void> {
  await request('DELETE', `/api/insights/${encodeURIComponent(id)}`);
}

/** Dashboards. */
export async function listDashboards(signal?: AbortSignal): Promise<Dashboard[]> {
  return (await request<{ dashboards: Dashboard[] }>('GET', '/api/dashboards', undefined, signal)).dashboards;
}

export function readDashboard(id: string, signal?: AbortSignal): Promise<Dashboard> {
  return request('GET', `/api/dashboards/${encodeURIComponent(id)}`, undefined, signal);
}

export function saveDashboard(
  fields: { name: string; description?: string; tiles?: DashboardTile[] },
  id?: string,
): Promise<Dashboard> {
  return id
    ? request('PUT', `/api/dashboards/${encodeURIComponent(id)}`, fields)
    : request('POST', '/api/dashboards', fields);
}

export async function deleteDashboard(id: string): Promise<void> {
  await request('DELETE', `/api/dashboards/${encodeURIComponent(id)}`);
}
