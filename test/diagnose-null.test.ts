/**
 * On fault-free simulations (src/sim/funnel-faults.ts without faults: every segment converts
 * alike by construction) no segment is flagged at the default false-discovery rate (5%),
 * although hundreds are tested. Two seeds here; bench/diagnose.ts runs many and reports the
 * share of seeds with any flagged segment (README, "Funnel diagnostics").
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadFaultSimulation } from '../bench/fault-data.js';
import { runDiagnosis } from '../src/diagnose/index.js';
import { FAULT_STEPS } from '../src/sim/index.js';
import { tempDir } from './helpers.js';

const tmp = tempDir('pathwise-diagnose-null-');
afterAll(() => tmp.cleanup());

describe('a diagnosis of a fault-free funnel', () => {
  for (const seed of [21, 22]) {
    it(`flags no segment (seed ${seed})`, async () => {
      const store = await loadFaultSimulation(
        tmp.dir,
        { users: 3000, days: 28, seed, end: '2026-03-01', faults: [] },
        `null-${seed}`,
      );
      try {
        const result = await runDiagnosis(store.wh, 'default', {
          funnel: {
            kind: 'funnel',
            steps: FAULT_STEPS.map((event) => ({ event })),
            windowSec: 86_400,
            dateRange: { from: '2026-02-01', to: '2026-02-28' },
          },
          minSegmentSize: 50,
        });
        expect(result.tested.segments).toBeGreaterThan(200);
        expect(result.segments.map((f) => `${f.toEvent}: ${f.label}`)).toEqual([]);
        expect(result.summary.hypothesis).toBeNull();
      } finally {
        await store.wh.close();
      }
    });
  }
});
