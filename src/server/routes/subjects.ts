import type { FastifyInstance } from 'fastify';
import Type, { type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { PathwiseError } from '../../core/index.js';
import {
  eraseSubjects,
  exportSubject,
  type Principal,
  type PrivacyPolicy,
  runRetention,
  shareablePersons,
} from '../../privacy/index.js';
import {
  PrivacySettings,
  PrivacySettingsPatch,
  readPrivacySettings,
  updatePrivacySettings,
  type Warehouse,
} from '../../store/index.js';
import { requestKey, requestPrincipal } from '../auth.js';
import { ErrorReply } from '../schemas.js';

/** What the data-subject and privacy routes need from the server. */
export interface SubjectRouteDeps {
  readonly wh: Warehouse;
  readonly privacy: PrivacyPolicy;
  /** Called after rows were deleted (erasure, retention), so that cached results are marked stale. */
  readonly onDataChanged?: () => void;
}

const PersonParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 1024 }) });
const AnyObject = Type.Object({}, { additionalProperties: true });
const OptOutReply = Type.Object({
  projectId: Type.String(),
  personId: Type.String(),
  ids: Type.Array(Type.String()),
});
const ShareableBody = Type.Object(
  {
    by: Type.Array(Type.String({ minLength: 1, maxLength: 140 }), { minItems: 1, maxItems: 6 }),
    k: Type.Optional(Type.Integer({ minimum: 2, maximum: 1000 })),
  },
  { additionalProperties: false },
);
/**
 * Validates a body with TypeBox and rejects unknown keys (Fastify's Ajv would strip them, and a
 * misspelt setting would then be ignored without a word).
 */
function strictValidator({ schema }: { schema: unknown }) {
  const check = Compile(schema as TSchema);
  return (data: unknown) => {
    if (check.Check(data)) return { value: data };
    const first = [...check.Errors(data)][0];
    const reason = `${first?.instancePath || '/'} ${first?.message ?? 'is invalid'}`;
    return { error: new PathwiseError('PW_REQUEST_INVALID', { reason }) };
  };
}

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply };
const security = [{ readKey: [] }];

/** Who asked, for the deletion log: the key's id, never the key. */
function requester(principal: Principal): string {
  return principal.kind === 'cli' ? principal.id : `${principal.kind}:${principal.id}`;
}

/**
 * Data subject rights and privacy settings under /api (README, "Privacy"): DSAR export
 * (`export` scope), erasure, opt-out, settings and retention (`admin` scope). Every route acts on
 * the key's own project.
 */
export function subjectRoutes(deps: SubjectRouteDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get(
      '/persons/:id/export',
      {
        config: { scopes: ['export', 'pii'], auditSubject: true },
        schema: {
          tags: ['privacy'],
          summary: 'DSAR export: every stored row about a person (person id or any distinct id), per table',
          security,
          params: PersonParams,
          response: { 200: AnyObject, ...errors },
        },
      },
      async (request) => {
        const { id } = request.params as { id: string };
        return exportSubject(deps.wh, requestKey(request).projectId, id);
      },
    );
    app.delete(
      '/persons/:id',
      {
        config: { scopes: ['admin'], auditSubject: true },
        schema: {
          tags: ['privacy'],
          summary: 'GDPR erasure: delete every row of a person, checkpoint and overwrite the freed blocks',
          security,
          params: PersonParams,
          response: { 200: AnyObject, ...errors },
        },
      },
      async (request) => {
        const { id } = request.params as { id: string };
        const principal = requestPrincipal(request);
        const result = await eraseSubjects(deps.wh, principal.projectId, [id], {
          requestedBy: requester(principal),
        });
        deps.onDataChanged?.();
        // The audit log is kept whole: it names an erased person by hash, never by id.
        request.auditTarget = result.deletions.map((d) => `person:${d.personHash}`).join(',');
        return result;
      },
    );
    app.post(
      '/persons/:id/opt-out',
      {
        config: { scopes: ['admin'], auditSubject: true },
        schema: {
          tags: ['privacy'],
          summary: 'Opt a person out: their new events are dropped at ingest, across all their ids',
          security,
          params: PersonParams,
          response: { 200: OptOutReply, ...errors },
        },
      },
      async (request) => {
        const { id } = request.params as { id: string };
        return deps.privacy.optOuts.optOut(requestKey(request).projectId, id, 'api');
      },
    );
    app.delete(
      '/persons/:id/opt-out',
      {
        config: { scopes: ['admin'], auditSubject: true },
        schema: {
          tags: ['privacy'],
          summary: "Withdraw a person's opt-out",
          security,
          params: PersonParams,
          response: { 200: OptOutReply, ...errors },
        },
      },
      async (request) => {
        const { id } = request.params as { id: string };
        const released = await deps.privacy.optOuts.optIn(requestKey(request).projectId, id);
        if (!released) throw new PathwiseError('PW_PERSON_NOT_FOUND', { id });
        return released;
      },
    );
    registerSettingsRoutes(app, deps);
  };
}

function registerSettingsRoutes(app: FastifyInstance, deps: SubjectRouteDeps): void {
  app.get(
    '/privacy/settings',
    {
      config: { scopes: ['admin'] },
      schema: {
        tags: ['privacy'],
        summary: "The project's minimization and retention settings",
        security,
        response: { 200: PrivacySettings, ...errors },
      },
    },
    async (request) => readPrivacySettings(deps.wh, requestKey(request).projectId),
  );
  app.patch(
    '/privacy/settings',
    {
      config: { scopes: ['admin'] },
      schema: {
        tags: ['privacy'],
        summary: 'Change some of the settings; ingest applies them from the next request',
        security,
        body: PrivacySettingsPatch,
        response: { 200: PrivacySettings, ...errors },
      },
      validatorCompiler: strictValidator,
    },
    async (request) => {
      const projectId = requestKey(request).projectId;
      const settings = await updatePrivacySettings(deps.wh, projectId, request.body as PrivacySettingsPatch);
      await deps.privacy.reload(projectId);
      return settings;
    },
  );
  app.post(
    '/privacy/retention/run',
    {
      config: { scopes: ['admin'] },
      schema: {
        tags: ['privacy'],
        summary: "Delete raw rows past the project's retention now (the server also does it hourly)",
        security,
        response: { 200: Type.Object({ outcomes: Type.Array(AnyObject) }), ...errors },
      },
    },
    async (request) => {
      const outcomes = await runRetention(deps.wh, { projectId: requestKey(request).projectId });
      deps.onDataChanged?.();
      return { outcomes };
    },
  );
  app.post(
    '/privacy/shareable',
    {
      config: { scopes: ['export'] },
      schema: {
        tags: ['privacy'],
        summary:
          'Persons counted by dimensions, k-anonymized for sharing (small groups generalized or suppressed)',
        security,
        body: ShareableBody,
        response: { 200: AnyObject, ...errors },
      },
      validatorCompiler: strictValidator,
    },
    async (request) => {
      const body = request.body as { by: string[]; k?: number };
      return shareablePersons(deps.wh, requestKey(request).projectId, body);
    },
  );
}
