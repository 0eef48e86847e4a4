import type { FastifyInstance } from 'fastify';
import type { Warehouse } from '../../store/index.js';
import type { ResultCache } from '../result-cache.js';
import { exploreRoutes } from './explore.js';
import { savedRoutes } from './saved.js';
import { defaultWebRoot, webRoutes } from './web.js';

/** What the dashboard needs: the store, and where its build is (default: the package's dist/web). */
export interface DashboardDeps {
  readonly wh: Warehouse;
  /** Saved insights' results, kept warm by the tile refresher. */
  readonly results: ResultCache;
  readonly webRoot?: string | undefined;
}

/** The web dashboard at `/` and the API routes it uses beyond POST /api/query. */
export function dashboardRoutes(deps: DashboardDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    await app.register(exploreRoutes({ wh: deps.wh }), { prefix: '/api' });
    await app.register(savedRoutes({ wh: deps.wh, results: deps.results }), { prefix: '/api' });
    await app.register(webRoutes({ webRoot: deps.webRoot ?? defaultWebRoot() }));
  };
}
