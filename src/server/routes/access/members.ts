import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import {
  type AccessControl,
  createMember,
  generatePassword,
  grantRole,
  listMembers,
  type Membership,
  revokeRole,
} from '../../../privacy/index.js';
import type { Warehouse } from '../../../store/index.js';
import { requestPrincipal } from '../../auth.js';
import { GUARDED_ERRORS, MembershipReply, RoleName } from './schemas.js';

/** What the member routes need. */
export interface MemberRouteDeps {
  readonly wh: Warehouse;
  readonly access: AccessControl;
}

const NewUserBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.Optional(Type.String({ maxLength: 1024 })),
  role: RoleName,
  pii: Type.Optional(Type.Boolean()),
});
type NewUserBody = Type.Static<typeof NewUserBody>;

const GrantBody = Type.Object({ role: RoleName, pii: Type.Optional(Type.Boolean()) });
type GrantBody = Type.Static<typeof GrantBody>;

const UserParams = Type.Object({ name: Type.String() });
type UserParams = Type.Static<typeof UserParams>;

const plain = (m: Membership) => ({ ...m, scopes: [...m.scopes] });

/** Users and their roles in the caller's project (admin). */
export function memberRoutes(deps: MemberRouteDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get(
      '/users',
      {
        config: { scopes: ['admin'], audit: 'user.list' },
        schema: {
          tags: ['access'],
          summary: 'The members of this project with their roles and scopes',
          response: { 200: Type.Object({ members: Type.Array(MembershipReply) }), ...GUARDED_ERRORS },
        },
      },
      async (request) => {
        const members = await listMembers(deps.wh, requestPrincipal(request).projectId);
        request.auditRows = members.length;
        return { members: members.map(plain) };
      },
    );
    app.post(
      '/users',
      {
        config: { scopes: ['admin'], audit: 'user.create' },
        schema: {
          tags: ['access'],
          summary: 'Create a user with a role in this project; a generated password is shown once',
          body: NewUserBody,
          response: {
            200: Type.Object({ member: MembershipReply, password: Type.Optional(Type.String()) }),
            ...GUARDED_ERRORS,
          },
        },
      },
      async (request) => {
        const by = requestPrincipal(request);
        const body = request.body as NewUserBody;
        request.auditTarget = body.name;
        const password = body.password ?? generatePassword();
        const grant = { role: body.role, hasPii: body.pii ?? false };
        const member = await createMember(deps.wh, by, body.name, password, grant);
        deps.access.invalidate();
        return { member: plain(member), ...(body.password === undefined ? { password } : {}) };
      },
    );
    app.put(
      '/users/:name/role',
      {
        config: { scopes: ['admin'], audit: 'user.grant' },
        schema: {
          tags: ['access'],
          summary: 'Give an existing user a role (and pii or not) in this project, replacing the old one',
          params: UserParams,
          body: GrantBody,
          response: { 200: Type.Object({ member: MembershipReply }), ...GUARDED_ERRORS },
        },
      },
      async (request) => {
        const { name } = request.params as UserParams;
        const body = request.body as GrantBody;
        const member = await grantRole(deps.wh, requestPrincipal(request), name, {
          role: body.role,
          hasPii: body.pii ?? false,
        });
        deps.access.invalidate();
        return { member: plain(member) };
      },
    );
    app.delete(
      '/users/:name/role',
      {
        config: { scopes: ['admin'], audit: 'user.revoke' },
        schema: {
          tags: ['access'],
          summary: 'Remove a user’s role in this project (the account stays)',
          params: UserParams,
          response: { 200: Type.Object({ revoked: MembershipReply }), ...GUARDED_ERRORS },
        },
      },
      async (request) => {
        const { name } = request.params as UserParams;
        const revoked = await revokeRole(deps.wh, requestPrincipal(request), name);
        deps.access.invalidate();
        return { revoked: plain(revoked) };
      },
    );
  };
}
