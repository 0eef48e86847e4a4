import { PathwiseError } from '../core/index.js';
import {
  type ApiKeyInfo,
  type IssuedKey,
  issueApiKey,
  listApiKeys,
  revokeApiKey,
  type Warehouse,
} from '../store/index.js';
import type { Principal } from './principal.js';
import { parseKeyScopes } from './roles.js';

function requireAdmin(by: Principal): void {
  if (!by.scopes.includes('admin')) throw new PathwiseError('PW_AUTH_WRONG_SCOPE', { scope: 'admin' });
}

/**
 * Issues a key for the principal's project. Nobody issues a key that can do more than they can,
 * except `ingest`, which no role holds but every admin must be able to hand out (write keys).
 */
export async function createKey(
  wh: Warehouse,
  by: Principal,
  spec: { scopes: string | readonly string[]; name?: string },
): Promise<IssuedKey> {
  requireAdmin(by);
  const scopes = parseKeyScopes(spec.scopes);
  const beyond = scopes.filter((s) => s !== 'ingest' && !by.scopes.includes(s));
  if (beyond.length > 0)
    throw new PathwiseError('PW_AUTH_FORBIDDEN_GRANT', {
      reason: `you cannot issue a key with ${beyond.map((s) => `"${s}"`).join(', ')}: you do not hold it`,
    });
  return issueApiKey(wh, {
    projectId: by.projectId,
    scopes,
    ...(spec.name ? { name: spec.name } : {}),
    createdBy: by.name,
  });
}

/** The keys of the principal's project (never their secrets). */
export async function listKeys(wh: Warehouse, by: Principal): Promise<ApiKeyInfo[]> {
  requireAdmin(by);
  return listApiKeys(wh, by.projectId);
}

/** Revokes a key of the principal's project. */
export async function revokeKey(wh: Warehouse, by: Principal, keyId: string): Promise<ApiKeyInfo> {
  requireAdmin(by);
  return revokeApiKey(wh, by.projectId, keyId);
}
