import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { isPathwiseError, parseRangeBoundUs } from '../../../core/index.js';
import { listAudit, verifyAudit } from '../../../privacy/index.js';
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

const NullableInt = Type.Union([Type.Integer(), Type.Null()]);
const AuditVerifyReply = Type.Object({
  isIntact: Type.Boolean(),
  rows: NullableInt,
  lastSeq: NullableInt,
  brokenAt: NullableInt,
  reason: Type.Union([Type.String(), Type.Null()]),
});

/** GET /api/audit: this project's audit log, newest first; GET /api/audit/verify: the chain (admin). */
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
    app.get(
      '/audit/verify',
      {
        config: { scopes: ['admin'], audit: 'audit.verify' },
        schema: {
          tags: ['access'],
          summary: 'Walks the whole hash chain of the audit log: intact, or the first row that is not',
          response: { 200: AuditVerifyReply, ...GUARDED_ERRORS },
        },
      },
      async () => {
        try {
          const { rows, lastSeq } = await verifyAudit(deps.wh);
          return { isIntact: true, rows, lastSeq, brokenAt: null, reason: null };
        } catch (err) {
          if (!isPathwiseError(err) || err.code !== 'PW_AUDIT_TAMPERED') throw err;
          const details = err.details as { seq?: number; reason?: string };
          return {
            isIntact: false,
            rows: null,
            lastSeq: null,
            brokenAt: details.seq ?? null,
            reason: details.reason ?? err.message,
          };
        }
      },
    );
  };
}
