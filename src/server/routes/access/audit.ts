import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { parseRangeBoundUs } from '../../../core/index.js';
import { listAudit } from '../../../privacy/index.js';
import type { Warehouse } from '../../../store/index.js';
import { requestPrincipal } from '../../auth.js';
import { AuditRecordReply, GUARDED_ERRORS } from './schemas.js';

const AuditQuery = Type.Object({
  from: Type.Optional(Type.String()),
  to: Type.Optional(Type.String()),
  actor: Type.Optional(Type.String()),
  action: Type.Optional(Type.String()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  project: Type.Optional(Type.String()),
});
type AuditQuery = Type.Static<typeof AuditQuery>;

/** GET /api/audit: this project's audit log, newest first (admin). */
export function auditRoutes(deps: { readonly wh: Warehouse }) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get(
      '/audit',
      {
        config: { scopes: ['admin'], audit: 'audit.read' },
        schema: {
          tags: ['access'],
          summary:
            'The audit log of this project: who ran which query, SQL, export or admin action, and when',
          querystring: AuditQuery,
          response: { 200: Type.Object({ records: Type.Array(AuditRecordReply) }), ...GUARDED_ERRORS },
        },
      },
      async (request) => {
        const query = request.query as AuditQuery;
        const records = await listAudit(deps.wh, {
          projectId: requestPrincipal(request).projectId,
          ...(query.from ? { fromUs: parseRangeBoundUs(query.from, 'from') } : {}),
          ...(query.to ? { toUs: parseRangeBoundUs(query.to, 'to') } : {}),
          ...(query.actor ? { actor: query.actor } : {}),
          ...(query.action ? { action: query.action } : {}),
          ...(query.limit ? { limit: query.limit } : {}),
        });
        request.auditRows = records.length;
        return { records };
      },
    );
  };
}
