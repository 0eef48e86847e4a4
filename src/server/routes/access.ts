import type { FastifyInstance } from 'fastify';
import type { AccessControl } from '../../privacy/index.js';
import type { Warehouse } from '../../store/index.js';
import { auditRoutes } from './access/audit.js';
import { keyRoutes } from './access/keys.js';
import { memberRoutes } from './access/members.js';
import { sessionRoutes } from './access/session.js';
import { sqlRoutes } from './access/sql.js';

/** What the access routes need. */
export interface AccessRouteDeps {
  readonly wh: Warehouse;
  readonly access: AccessControl;
}

/** Login and sessions, users and roles, keys, the audit log and raw SQL (README, "Access"). */
export function accessRoutes(deps: AccessRouteDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    await app.register(sessionRoutes(deps));
    await app.register(memberRoutes(deps));
    await app.register(keyRoutes(deps));
    await app.register(auditRoutes(deps));
    await app.register(sqlRoutes(deps));
  };
}
