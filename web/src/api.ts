/**
 * The dashboard's only door to the server: every request goes through `request` below, so the
 * way it authenticates changes in this one file. Two ways today (README, "Access"): a project
 * API key sent as a Bearer token (kept in localStorage), or a user's session (the server's
 * HTTP-only cookie, sent by the browser; the project goes in `x-pathwise-project`).
 */
import type { AttributionResult, AttributionSpec, DiagnoseSpec, DiagnosisResult } from './analysis-types';
import type {
  AnyResult,
  AnySpec,
  AuditRecord,
  AuditVerification,
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

const KEY_STORAGE = 'pathwise.readKey';
const SESSION_STORAGE = 'pathwise.session';
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

/** Who the dashboard acts as: a key, or a logged-in user in one project. */
export type Auth = { kind: 'key'; key: string } | { kind: 'session'; user: string; projectId: string };

/**
 * Takes a key from the URL fragment (`#key=…`, what `pathwise serve` and `demo` print), stores
 * it and removes it from the address bar. The fragment never reaches the server.
 */
export function takeKeyFromFragment(): void {
  const match = /(?:^#|&)key=([^&]+)/.exec(window.location.hash);
  if (!match?.[1]) return;
  setKey(decodeURIComponent(match[1]));
  const url = `${window.location.pathname}${window.location.search}`;
  window.history.replaceState(window.history.state, '', url);
}

/** A stable text of the current auth (for useSyncExternalStore), or null when signed out. */
export function authText(): string | null {
  const key = window.localStorage.getItem(KEY_STORAGE);
  if (key) return `key:${key}`;
  return window.localStorage.getItem(SESSION_STORAGE);
}

/** The current auth, if any. */
export function getAuth(): Auth | null {
  const key = window.localStorage.getItem(KEY_STORAGE);
  if (key) return { kind: 'key', key };
  const session = window.localStorage.getItem(SESSION_STORAGE);
  if (!session) return null;
  try {
    return { kind: 'session', ...(JSON.parse(session) as { user: string; projectId: string }) };
  } catch {
    return null;
  }
}

/** Stores a key (the key form, the URL fragment). */
export function setKey(key: string): void {
  window.localStorage.removeItem(SESSION_STORAGE);
  window.localStorage.setItem(KEY_STORAGE, key.trim());
  window.dispatchEvent(new Event(AUTH_EVENT));
}

/** Forgets the key or session here (the server's cookie is ended by `logout`). */
export function clearAuth(): void {
  window.localStorage.removeItem(KEY_STORAGE);
  window.localStorage.removeItem(SESSION_STORAGE);
  window.dispatchEvent(new Event(AUTH_EVENT));
}

/** Calls back when the auth changes (also in another tab); returns the unsubscribe function. */
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
  const auth = getAuth();
  if (auth?.kind === 'key') headers.authorization = `Bearer ${auth.key}`;
  if (auth?.kind === 'session') headers['x-pathwise-project'] = auth.projectId;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
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
  // A refused key or an expired session is forgotten, so the sign-in form comes back.
  if (res.status === 401 && !path.startsWith('/api/auth/')) clearAuth();
  throw new ApiError(res.status, error.code ?? `HTTP_${res.status}`, error.message ?? res.statusText);
}

/** POST /api/auth/login: starts a user session (the server sets the cookie) in one project. */
export async function login(user: string, password: string, project?: string): Promise<void> {
  const me = await request<{ projectId: string | null; memberships: { projectId: string }[] }>(
    'POST',
    '/api/auth/login',
    { user, password, ...(project ? { project } : {}) },
  );
  const projectId = me.projectId ?? me.memberships[0]?.projectId;
  if (!projectId) throw new ApiError(403, 'PW_AUTH_NO_PROJECT', `${user} is not a member of any project`);
  window.localStorage.removeItem(KEY_STORAGE);
  window.localStorage.setItem(SESSION_STORAGE, JSON.stringify({ user, projectId }));
  window.dispatchEvent(new Event(AUTH_EVENT));
}

/** Signs out: ends the server session (if any) and forgets the key or session here. */
export async function logout(): Promise<void> {
  if (getAuth()?.kind === 'session') await request('POST', '/api/auth/logout').catch(() => undefined);
  clearAuth();
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

/** POST /api/diagnose: a funnel diagnosis (README, "Funnel diagnostics"). */
export function runDiagnosis(spec: DiagnoseSpec, signal?: AbortSignal): Promise<DiagnosisResult> {
  return request('POST', '/api/diagnose', spec, signal);
}

/** POST /api/query with kind `attribution`: credit per channel for every model (README, "Attribution"). */
export function runAttribution(spec: AttributionSpec, signal?: AbortSignal): Promise<AttributionResult> {
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
): Promise<{
  insightId: string;
  computedAt: string;
  isCached: boolean;
  isStale: boolean;
  result: AnyResult;
}> {
  return request('POST', `/api/insights/${encodeURIComponent(id)}/result`, options, signal);
}

/** Every tile's result of a dashboard in one request (tiles whose insight fails are left out). */
export async function runDashboardResults(
  id: string,
  signal?: AbortSignal,
): Promise<Awaited<ReturnType<typeof runSavedInsight>>[]> {
  const r = await request<{ results: Awaited<ReturnType<typeof runSavedInsight>>[] }>(
    'POST',
    `/api/dashboards/${encodeURIComponent(id)}/results`,
    {},
    signal,
  );
  return r.results;
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

/** GET /api/audit: the project's audit log, newest first (admin). */
export async function listAudit(
  filter: { from?: string; to?: string; actor?: string; action?: string; limit?: number },
  signal?: AbortSignal,
): Promise<AuditRecord[]> {
  const r = await request<{ records: AuditRecord[] }>('GET', `/api/audit${qs(filter)}`, undefined, signal);
  return r.records;
}

/** GET /api/audit/verify: walks the audit log's hash chain (admin). */
export function verifyAuditLog(signal?: AbortSignal): Promise<AuditVerification> {
  return request('GET', '/api/audit/verify', undefined, signal);
}
