/**
 * The simulator's planted persons are recovered exactly: each scenario's households (shared
 * devices included: two persons on one anonymousId, each identifying with their own userId)
 * imported through the real import path and resolved incrementally give `counts.persons`
 * persons and `counts.sessions` sessions (one per planted visit), every event gets a person and a
 * session, and a full rebuild agrees.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importFile, startIngest } from '../src/ingest/index.js';
import { processNewEvents, rebuildProject } from '../src/server/index.js';
import { Simulation, writeJsonlFile } from '../src/sim/index.js';
import { ensureDefaultProject, openWarehouse } from '../src/store/index.js';
import { tempDir } from './helpers.js';
import { derivedState } from './pipeline.js';

const tmp = tempDir('pathwise-sim-persons-');
afterAll(() => tmp.cleanup());

describe('simulated persons', () => {
  for (const scenario of ['ecommerce', 'saas', 'feed'] as const) {
    it(`recovers every planted ${scenario} person and session exactly`, async () => {
      const sim = new Simulation({ scenario, users: 400, days: 20, seed: 5, end: '2026-11-01' });
      const file = join(tmp.dir, `${scenario}.jsonl`);
      await writeJsonlFile(sim, file);
      const truth = sim.truth();
      const wh = await openWarehouse({ path: join(tmp.dir, `${scenario}.duckdb`) });
      try {
        await ensureDefaultProject(wh);
        const writer = await startIngest(wh);
        await importFile(wh, writer, file, { projectId: 'default' });
        await writer.close();
        await processNewEvents(wh);
        const counts = await wh.all({
          sql: `SELECT (SELECT count(*) FROM persons) AS persons,
                       (SELECT count(*) FROM sessions) AS sessions,
                       (SELECT count(*) FROM events WHERE person_id IS NULL OR session_id IS NULL) AS unassigned`,
        });
        expect(counts[0]).toEqual({
          persons: truth.counts.persons,
          sessions: truth.counts.sessions,
          unassigned: 0,
        });
        const incremental = await derivedState(wh, 'default');
        await rebuildProject(wh, 'default');
        expect(await derivedState(wh, 'default')).toEqual(incremental);
      } finally {
        await wh.close();
      }
    }, 120_000);
  }
});
