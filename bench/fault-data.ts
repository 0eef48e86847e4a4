/**
 * Bench and test support: a fault simulation (src/sim) written as JSONL, imported through
 * `pathwise import`'s code (validation, normalization, skew correction, dedup) into a DuckDB
 * file, then processed into persons and sessions as the server's background pass does.
 */
import { join } from 'node:path';
import { importFile, startIngest } from '../src/ingest/index.js';
import { processNewEvents } from '../src/server/index.js';
import {
  FaultFunnelSimulation,
  type FaultSimOptions,
  type FaultTruth,
  writeJsonlFile,
} from '../src/sim/index.js';
import { ensureDefaultProject, openWarehouse, type Warehouse } from '../src/store/index.js';

/** A store holding one imported fault simulation in project `default`. */
export interface FaultStore {
  readonly wh: Warehouse;
  readonly truth: FaultTruth;
  readonly events: number;
}

/** Simulates, imports and processes; the files go to `dir`. */
export async function loadFaultSimulation(
  dir: string,
  options: FaultSimOptions,
  name = 'faults',
): Promise<FaultStore> {
  const sim = new FaultFunnelSimulation(options);
  const file = join(dir, `${name}.jsonl`);
  await writeJsonlFile(sim, file);
  const wh = await openWarehouse({ path: join(dir, `${name}.duckdb`) });
  await ensureDefaultProject(wh);
  const writer = await startIngest(wh);
  const summary = await importFile(wh, writer, file, { projectId: 'default' });
  await writer.close();
  if (summary.rejected > 0)
    throw new Error(`the simulation should import cleanly: ${JSON.stringify(summary)}`);
  await processNewEvents(wh);
  return { wh, truth: sim.truth(), events: summary.imported };
}
