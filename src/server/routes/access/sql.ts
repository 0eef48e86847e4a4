import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { runProjectSql, SQL_LIMITS, SQL_TABLES } from '../../../privacy/index.js';
import type { Warehouse } from '../../../store/index.js';
import { requestPrincipal } from '../../auth.js';
import { GUARDED_ERRORS } from './schemas.js';

const SqlBody = Type.Object({
  sql: Type.String({ minLength: 1, maxLength: 100_000 }),
  maxRows: Type.Optional(Type.Integer({ minimum: 1, maximum: SQL_LIMITS.maxRows })),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: SQL_LIMITS.maxTimeoutMs })),
});
type SqlBody = Type.Static<typeof SqlBody>;

const SqlReply = Type.Object({
  columns: Type.Array(Type.Object({ name: Type.String(), type: Type.String() })),
  rows: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  rowCount: Type.Integer(),
  isTruncated: Type.Boolean(),
  tables: Type.Array(Type.String()),
  copiedRows: Type.Integer(),
  copyMs: Type.Number(),
  runMs: Type.Number(),
});

/** POST /api/sql: one read-only SELECT over this project's rows (query + pii). */
export function sqlRoutes(deps: { readonly wh: Warehouse }) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.post(
      '/sql',
      {
        config: { scopes: ['query', 'pii'], audit: 'sql' },
        schema: {
          tags: ['query'],
          summary: `Raw SQL: one SELECT over this project's ${SQL_TABLES.join(', ')}, in a sandbox, time- and row-limited`,
          body: SqlBody,
          response: { 200: SqlReply, ...GUARDED_ERRORS },
        },
      },
      async (request) => {
        const body = request.body as SqlBody;
        const result = await runProjectSql(deps.wh, requestPrincipal(request), body.sql, {
          ...(body.maxRows ? { maxRows: body.maxRows } : {}),
          ...(body.timeoutMs ? { timeoutMs: body.timeoutMs } : {}),
        });
        request.auditRows = result.rowCount;
        return {
          ...result,
          columns: [...result.columns],
          rows: [...result.rows],
          tables: [...result.tables],
        };
      },
    );
  };
}
