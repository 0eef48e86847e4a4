/**
 * Attribution recovers what the simulator planted, end to end: simulated Segment messages
 * (src/sim/attribution.ts: 5,000 persons, journeys starting 2026-01-05 … 01-25, channels from
 * UTMs and referrers) → a JSONL file → `importFile` → identity and sessions → attribution.
 * The planted truth (removal effects of the generating chain, start and close shares) is exact.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AttributionResult, runAttribution } from '../src/attribution/index.js';
import { importFile, startIngest } from '../src/ingest/index.js';
import { processNewEvents } from '../src/server/index.js';
import { attributionMessages, attributionTruth, Rng } from '../src/sim/index.js';
import { createProject, openWarehouse, type Warehouse } from '../src/store/index.js';
import { tempDir } from './helpers.js';

const tmp = tempDir();
const truth = attributionTruth();
let wh: Warehouse;
let result: AttributionResult;

beforeAll(async () => {
  const file = join(tmp.dir, 'journeys.jsonl');
  const lines: string[] = [];
  const options = { persons: 5000, seed: 1, startMs: Date.parse('2026-01-05T00:00:00Z'), days: 20 };
  for (const person of attributionMessages(options)) for (const m of person) lines.push(JSON.stringify(m));
  writeFileSync(file, `${lines.join('\n')}\n`);
  wh = await openWarehouse({ path: join(tmp.dir, 'sim.duckdb') });
  const { project } = await createProject(wh, 'shop');
  const writer = await startIngest(wh);
  const summary = await importFile(wh, writer, file, { projectId: project.projectId });
  await writer.close();
  expect(summary.rejected).toBe(0);
  await processNewEvents(wh);
  result = await runAttribution(
    wh,
    project.projectId,
    {
      kind: 'attribution',
      dateRange: { from: '2026-01-01', to: '2026-03-31' },
      conversion: { event: 'purchase', valueProperty: 'revenue' },
      markovOrders: [1],
      bootstrapSamples: 40,
    },
    { random: (seed, stream) => new Rng(seed, stream) },
  );
});
afterAll(async () => {
  await wh.close();
  tmp.cleanup();
});

describe('attribution on planted multi-touch journeys', () => {
  it('sees every channel the simulator sent, classified from UTMs and referrers', () => {
    expect([...result.channels].sort()).toEqual([...truth.channels].sort());
    expect(result.summary.journeys).toBe(5000);
    expect(result.summary.unattributedConversions).toBe(0);
  });

  it('calls the planted initiators initiators and the planted closers closers', () => {
    const role = Object.fromEntries(result.roles.map((r) => [r.channel, r]));
    for (const c of truth.initiators) expect(role[c]?.role).toBe('initiator');
    for (const c of truth.closers) expect(role[c]?.role).toBe('closer');
    // Shares of converting journeys started and closed, against the chain's exact shares, within
    // four binomial standard errors (about 1,500 converting journeys).
    const n = result.summary.convertingJourneys;
    const within = (observed: number, p: number) =>
      Math.abs(observed / n - p) <= 4 * Math.sqrt((p * (1 - p)) / n) + 1e-3;
    for (const c of truth.channels) {
      expect(within(role[c]?.starts ?? 0, truth.startShare[c])).toBe(true);
      expect(within(role[c]?.closes ?? 0, truth.closeShare[c])).toBe(true);
    }
  });

  it('ranks channel contributions as planted, with removal effects near the true ones', () => {
    const byMarkov = [...result.comparison]
      .sort((a, b) => (b.conversions.markov_1 as number) - (a.conversions.markov_1 as number))
      .map((c) => c.channel);
    expect(byMarkov).toEqual(truth.contributionRanking);
    for (const c of result.comparison) {
      const re = c.removalEffects.markov_1?.conversions as number;
      expect(
        Math.abs(re - truth.removalEffects[c.channel as keyof typeof truth.removalEffects]),
      ).toBeLessThan(0.04);
    }
  });

  it('shows that last touch undervalues initiators and first touch undervalues closers', () => {
    const row = Object.fromEntries(result.comparison.map((c) => [c.channel, c]));
    for (const c of truth.initiators)
      expect(row[c]?.conversions.last_touch as number).toBeLessThan(
        0.5 * (row[c]?.conversions.markov_1 as number),
      );
    for (const c of truth.closers)
      expect(row[c]?.conversions.first_touch as number).toBeLessThan(
        0.8 * (row[c]?.conversions.markov_1 as number),
      );
  });
});
