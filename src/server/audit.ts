import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type AuditActor, appendAudit, type Principal } from '../privacy/index.js';
import type { Warehouse } from '../store/index.js';

/** The audit actor of a principal. */
export function auditActor(principal: Principal): AuditActor {
  return { kind: principal.kind, id: principal.id, name: principal.name };
}

function requestDetail(request: FastifyRequest): unknown {
  if (request.method === 'GET' || request.method === 'HEAD') {
    const query = request.query as Record<string, unknown> | undefined;
    return query && Object.keys(query).length > 0 ? query : null;
  }
  return request.body ?? null;
}

function paramsTarget(request: FastifyRequest): string | null {
  const params = request.params as Record<string, unknown> | undefined;
  const values = params ? Object.values(params).map(String) : [];
  return values.length > 0 ? values.join('/') : null;
}

const isAudited = new WeakSet<FastifyRequest>();

/**
 * Writes one audit row for every answered request of a guarded, non-ingest route whose caller
 * is known (allowed or refused), before the answer leaves: if the row cannot be written the
 * caller gets an error instead of the data.
 */
export function registerAudit(app: FastifyInstance, wh: Warehouse): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const config = request.routeOptions.config;
    const scopes = config?.scopes ?? [];
    const principal = request.principal;
    if (!principal || scopes.length === 0 || scopes.includes('ingest') || config.audit === false)
      return payload;
    // An error in this hook is answered through the hooks again: write the row once.
    if (isAudited.has(request)) return payload;
    isAudited.add(request);
    await appendAudit(wh, {
      projectId: principal.projectId,
      actor: auditActor(principal),
      action: config.audit ?? `${request.method} ${request.routeOptions.url}`,
      target: request.auditTarget ?? paramsTarget(request),
      detail: requestDetail(request),
      status: reply.statusCode,
      rowCount: request.auditRows ?? null,
      address: request.ip,
    });
    return payload;
  });
}
