import type { FastifyInstance } from 'fastify';
import { DiagnoseSpec, DiagnosisResult, parseDiagnoseSpec, runDiagnosis } from '../../diagnose/index.js';
import type { Warehouse } from '../../store/index.js';
import { requestKey } from '../auth.js';
import { ErrorReply, parsedBody } from '../schemas.js';

/** What the diagnosis route needs from the server. */
export interface DiagnoseRouteDeps {
  readonly wh: Warehouse;
}

/** POST /api/diagnose: diagnoses a funnel for the project of the read key (README, "Funnel diagnostics"). */
export function diagnoseRoutes(deps: DiagnoseRouteDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.post(
      '/diagnose',
      {
        config: { scopes: ['query'] },
        schema: {
          tags: ['query'],
          summary: 'Diagnose a funnel: biggest drop, under-converting segments and since when, correlations',
          security: [{ readKey: [] }],
          body: DiagnoseSpec,
          response: {
            200: DiagnosisResult,
            400: ErrorReply,
            401: ErrorReply,
            403: ErrorReply,
            404: ErrorReply,
            500: ErrorReply,
          },
        },
        validatorCompiler: parsedBody(parseDiagnoseSpec),
      },
      async (request) => {
        const key = requestKey(request);
        return runDiagnosis(deps.wh, key.projectId, request.body as DiagnoseSpec);
      },
    );
  };
}
