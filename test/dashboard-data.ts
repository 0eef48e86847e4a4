import { join } from 'node:path';
import { importJsonLines } from '../src/ingest/index.js';
import type { RunningServer } from '../src/server/index.js';
import { Simulation } from '../src/sim/index.js';
import { startTestServer, tempDir } from './helpers.js';

/** The simulated range of the dashboard tests: 14 days ending (exclusive) on this date. */
export const SIM_END = '2026-03-01';
export const SIM_FROM = '2026-02-15';
export const SIM_TO = '2026-02-28';

/** A running server over a small simulated project (the mix of shop, SaaS and feed). */
export interface SimServer {
  readonly server: RunningServer & { readKey: string; writeKey: string };
  readonly events: number;
  close(): Promise<void>;
}

/**
 * Starts a real server on 127.0.0.1 over a fresh DuckDB file, imports a deterministic
 * simulation through the import pipeline and waits for identity and sessions.
 */
export async function startSimServer(users = 400, options: { webRoot?: string } = {}): Promise<SimServer> {
  const tmp = tempDir('pathwise-dashboard-');
  const server = await startTestServer(join(tmp.dir, 'sim.duckdb'), options);
  const sim = new Simulation({ scenario: 'mix', users, days: 14, seed: 7, end: SIM_END });
  const counts = await importJsonLines(server.writer, sim.lines(), {
    projectId: 'default',
    source: 'import:test-simulation',
    isHistoryChecked: false,
  });
  server.processor.notify();
  await server.processor.whenIdle();
  return {
    server,
    events: counts.imported,
    close: async () => {
      await server.close();
      tmp.cleanup();
    },
  };
}
