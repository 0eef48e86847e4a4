import Type from 'typebox';
import { ROLES, SCOPES } from '../../../privacy/index.js';
import { ErrorReply } from '../../schemas.js';

/** A scope name. */
export const ScopeName = Type.Union(SCOPES.map((s) => Type.Literal(s)));

/** A role name. */
export const RoleName = Type.Union(ROLES.map((r) => Type.Literal(r)));

/** A user's role in one project. */
export const MembershipReply = Type.Object({
  projectId: Type.String(),
  projectName: Type.String(),
  userId: Type.String(),
  userName: Type.String(),
  role: Type.String(),
  hasPii: Type.Boolean(),
  scopes: Type.Array(Type.String()),
  grantedAt: Type.String(),
  grantedBy: Type.String(),
});

/** Who is calling. */
export const MeReply = Type.Object({
  kind: Type.String(),
  id: Type.String(),
  name: Type.String(),
  projectId: Type.Union([Type.String(), Type.Null()]),
  role: Type.Union([Type.String(), Type.Null()]),
  scopes: Type.Array(Type.String()),
  memberships: Type.Array(MembershipReply),
});

/** A key as listed (never its secret). */
export const KeyInfoReply = Type.Object({
  keyId: Type.String(),
  projectId: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  kind: Type.String(),
  scopes: Type.Array(Type.String()),
  prefix: Type.String(),
  createdAt: Type.String(),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});

/** An audit row. */
export const AuditRecordReply = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  projectId: Type.Union([Type.String(), Type.Null()]),
  actorKind: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.String(),
  action: Type.String(),
  target: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Unknown(),
  status: Type.Union([Type.Integer(), Type.Null()]),
  rowCount: Type.Union([Type.Integer(), Type.Null()]),
  address: Type.Union([Type.String(), Type.Null()]),
  prevHash: Type.String(),
  rowHash: Type.String(),
});

/** The error replies of a guarded route. */
export const GUARDED_ERRORS = {
  400: ErrorReply,
  401: ErrorReply,
  403: ErrorReply,
  404: ErrorReply,
  409: ErrorReply,
} as const;
