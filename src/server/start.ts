import type { FastifyInstance } from 'fastify';
import { SERVER_DEFAULTS } from '../core/index.js';
import { type IngestWriter, startIngest } from '../ingest/index.js';
import { AccessControl, type AccessOptions, PrivacyPolicy } from '../privacy/index.js';
import { ensureDefaultProject, type NewProject, openWarehouse, type Warehouse } from '../store/index.js';
import { buildApp } from './app.js';
import { createMetrics } from './metrics.js';
import { BackgroundProcessor } from './processing.js';
import { ResultCache } from './result-cache.js';
import { RetentionScheduler } from './retention-schedule.js';
import { TileRefresher, type TileRefresherOptions } from './tile-refresher.js';

/** Options of `pathwise serve`. */
export interface ServeOptions {
  readonly db?: string;
  readonly port?: number;
  readonly host?: string;
  readonly isLogged?: boolean;
  /** Group-commit wait when idle (ms); 0 commits at once. */
  readonly commitDelayMs?: number;
  /** Wait after a commit before identity and sessions catch up (ms). */
  readonly processDelayMs?: number;
  /** Key and session cache time, and how often keys' last use is written. */
  readonly access?: AccessOptions;
  /** How often retention and salt rotation run (ms; default hourly, 0 turns the schedule off). */
  readonly retentionIntervalMs?: number;
  /** The built dashboard; default: the package's dist/web. */
  readonly webRoot?: string;
  /** Keeping dashboard tiles warm (README, "Dashboard"); `isEnabled: false` turns it off. */
  readonly tiles?: TileRefresherOptions & { readonly isEnabled?: boolean };
}

/** A running server. */
export interface RunningServer {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly wh: Warehouse;
  readonly writer: IngestWriter;
  /** Keeps persons and sessions current in the background. */
  readonly processor: BackgroundProcessor;
  /** Keeps the results of dashboard tiles warm in the background. */
  readonly tiles: TileRefresher;
  /** Resolves keys and sessions; flushes keys' last use (also when the server closes). */
  readonly access: AccessControl;
  /** Minimization and opt-outs at ingest (README, "Privacy"). */
  readonly privacy: PrivacyPolicy;
  /** Keys of the default project when this start created it, else null. */
  readonly createdProject: NewProject | null;
  /** Stops accepting, commits what is queued, checkpoints and closes the store. */
  close(): Promise<void>;
}

/** Opens the store (creating it and the default project on first start) and listens. */
export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const wh = await openWarehouse({ path: options.db ?? SERVER_DEFAULTS.db });
  try {
    const createdProject = await ensureDefaultProject(wh);
    const metrics = createMetrics();
    const results = new ResultCache();
    const { isEnabled: isRefreshing = true, ...tileOptions } = options.tiles ?? {};
    const tiles = new TileRefresher(wh, results, {
      ...tileOptions,
      onError: (err) => app.log.warn({ err }, 'dashboard tile refresh failed; will retry'),
    });
    const processor = new BackgroundProcessor(wh, {
      ...(options.processDelayMs === undefined ? {} : { delayMs: options.processDelayMs }),
      onError: (err) => app.log.error({ err }, 'identity/sessions pass failed; will retry'),
      // Persons and sessions of the new rows are in place now: recompute the tiles.
      onPass: () => {
        results.dataChanged();
        if (isRefreshing) tiles.notify();
      },
    });
    const privacy = await PrivacyPolicy.open(wh, {
      onOptedOut: metrics.countOptedOut,
      onError: (err) => app.log.error({ err }, 'privacy bookkeeping failed'),
    });
    const writer = await startIngest(wh, {
      policy: privacy,
      observer: {
        onCommit: (info) => {
          metrics.observer.onCommit?.(info);
          if (info.accepted === 0) return;
          // Results computed before this commit are stale from now on (shown as such).
          results.dataChanged();
          processor.notify();
        },
      },
      maxDelayMs: options.commitDelayMs ?? 0,
    });
    const access = new AccessControl(wh, options.access);
    const app = await buildApp({
      wh,
      writer,
      metrics,
      access,
      privacy,
      isLogged: options.isLogged ?? false,
      webRoot: options.webRoot,
      results,
    });
    const retention = new RetentionScheduler(wh, privacy, {
      intervalMs: options.retentionIntervalMs ?? 3_600_000,
      onError: (err) => app.log.error({ err }, 'retention run failed; will retry'),
      onRun: () => results.dataChanged(),
    });
    // Rows stored before this start (an import, a crash) are taken up at once.
    processor.notify();
    if (isRefreshing) tiles.notify();
    const address = await app.listen({
      port: options.port ?? SERVER_DEFAULTS.port,
      host: options.host ?? SERVER_DEFAULTS.host,
    });
    let closing: Promise<void> | null = null;
    const close = () => {
      closing ??= (async () => {
        await app.close();
        await retention.close();
        await tiles.close();
        await writer.close();
        await privacy.close();
        await processor.close();
        await wh.close();
      })();
      return closing;
    };
    return { url: address, app, wh, writer, processor, tiles, access, privacy, createdProject, close };
  } catch (err) {
    await wh.close();
    throw err;
  }
}
