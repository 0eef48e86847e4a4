import { cliPrincipal, createUser, grantRole, type Role } from '../src/privacy/index.js';
import { type RunningServer, SESSION_COOKIE } from '../src/server/index.js';
import type { Warehouse } from '../src/store/index.js';

/** A cheap scrypt cost for test users (the stored hash carries it; login verifies with it). */
export const TEST_COST = { logN: 10, r: 8, p: 1 } as const;

/** The password every test user gets. */
export const PASSWORD = 'correct horse battery';

/** Creates a user with a role (and pii) in a project, as the local operator. */
export async function addUser(
  wh: Warehouse,
  name: string,
  projectId: string,
  role: Role,
  hasPii = false,
): Promise<void> {
  await createUser(wh, name, PASSWORD, { cost: TEST_COST });
  await grantRole(wh, cliPrincipal(projectId), name, { role, hasPii });
}

/** Logs in over HTTP and returns the `pw_session=…` cookie pair. */
export async function login(server: RunningServer, user: string, project?: string): Promise<string> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, password: PASSWORD, ...(project ? { project } : {}) }),
  });
  if (res.status !== 200) throw new Error(`login of ${user} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0] ?? '';
}

/** How a test request authenticates. */
export interface Caller {
  readonly cookie?: string;
  readonly key?: string;
  readonly project?: string;
}

/** Sends a request as a caller; JSON in, status and parsed body (or text) out. */
export async function call(
  server: RunningServer,
  method: string,
  path: string,
  caller: Caller,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
  const headers: Record<string, string> = {};
  if (caller.cookie) headers.cookie = caller.cookie;
  if (caller.key) headers.authorization = `Bearer ${caller.key}`;
  if (caller.project) headers['x-pathwise-project'] = caller.project;
  const hasBody = method !== 'GET' && method !== 'HEAD' && method !== 'DELETE';
  if (hasBody) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers,
    ...(hasBody ? { body: JSON.stringify(body ?? {}) } : {}),
  });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // Not JSON (the landing page, metrics): keep the text.
  }
  return { status: res.status, body: parsed, text };
}
