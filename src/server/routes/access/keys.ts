import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { type AccessControl, createKey, listKeys, revokeKey } from '../../../privacy/index.js';
import type { Warehouse } from '../../../store/index.js';
import { requestPrincipal } from '../../auth.js';
import { GUARDED_ERRORS, KeyInfoReply, ScopeName } from './schemas.js';

/** What the key routes need. */
export interface KeyRouteDeps {
  readonly wh: Warehouse;
  readonly access: AccessControl;
}

const NewKeyBody = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 100 })),
  scopes: Type.Array(ScopeName, { minItems: 1 }),
});
type NewKeyBody = Type.Static<typeof NewKeyBody>;

const KeyParams = Type.Object({ keyId: Type.String() });
type KeyParams = Type.Static<typeof KeyParams>;

/** API keys of the caller's project (admin): list, issue (shown once), revoke. */
export function keyRoutes(deps: KeyRouteDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get(
      '/keys',
      {
        config: { scopes: ['admin'], audit: 'key.list' },
        schema: {
          tags: ['access'],
          summary: 'This project’s keys with scopes and last use (never the secrets)',
          response: { 200: Type.Object({ keys: Type.Array(KeyInfoReply) }), ...GUARDED_ERRORS },
        },
      },
      async (request) => {
        const keys = await listKeys(deps.wh, requestPrincipal(request));
        request.auditRows = keys.length;
        return { keys: keys.map((k) => ({ ...k, scopes: [...k.scopes] })) };
      },
    );
    app.post(
      '/keys',
      {
        config: { scopes: ['admin'], audit: 'key.create' },
        schema: {
          tags: ['access'],
          summary: 'Issue a key for this project with the given scopes; the key is shown this once',
          body: NewKeyBody,
          response: {
            200: Type.Object({
              keyId: Type.String(),
              key: Type.String(),
              kind: Type.String(),
              scopes: Type.Array(Type.String()),
            }),
            ...GUARDED_ERRORS,
          },
        },
      },
      async (request) => {
        const body = request.body as NewKeyBody;
        const issued = await createKey(deps.wh, requestPrincipal(request), {
          scopes: body.scopes,
          ...(body.name ? { name: body.name } : {}),
        });
        request.auditTarget = issued.keyId;
        return { keyId: issued.keyId, key: issued.key, kind: issued.kind, scopes: [...issued.scopes] };
      },
    );
    app.delete(
      '/keys/:keyId',
      {
        config: { scopes: ['admin'], audit: 'key.revoke' },
        schema: {
          tags: ['access'],
          summary: 'Revoke a key of this project: it is refused (401) from now on',
          params: KeyParams,
          response: { 200: Type.Object({ revoked: KeyInfoReply }), ...GUARDED_ERRORS },
        },
      },
      async (request) => {
        const { keyId } = request.params as KeyParams;
        const revoked = await revokeKey(deps.wh, requestPrincipal(request), keyId);
        deps.access.invalidate();
        return { revoked: { ...revoked, scopes: [...revoked.scopes] } };
      },
    );
  };
}
