/**
 * Click-model benchmark. Prints one JSON object.
 *
 *   npm run bench:clickmodels [-- --impressions 1000000,10000000 --threads 2]
 *
 * Per size: synthetic feed lists of 10 items (one `$impression` event with `items`, one `$click`
 * per click) generated in SQL with PBM clicks (examination (1/k)^0.7, 1,000 items), then, each
 * in a child process of its own so that its peak RSS is its own:
 * - scan: the baseline, a plain pass over the same rows: every list streamed to TypeScript once
 *   (the impression unnest and click join included), and the same rows counted in SQL alone;
 * - pbm: fitting PBM (the item dictionary, then per (item, position) counts in SQL and EM);
 * - dbn: fitting the DBN (the dictionary, an initializing pass, then one streamed pass per EM
 *   iteration; lists are never held in memory).
 * Ratios are fit time / list-pass time of the same run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fitModels } from '../src/clicks/index.js';
import { openClickData } from '../src/query/index.js';
import { createProject, openWarehouse } from '../src/store/index.js';

const { values: args } = parseArgs({
  options: {
    impressions: { type: 'string', default: '1000000,10000000' },
    threads: { type: 'string', default: String(Math.min(os.cpus().length, 2)) },
    child: { type: 'string' },
    db: { type: 'string' },
  },
});
const THREADS = Number(args.threads);
const DATA = { dateRange: { from: '2026-01-01', to: '2026-05-31' }, maxPosition: 10, testFraction: 0.2 };

/** Lists → rows (list, rank, item, clicked) with deterministic hash draws, then events. */
function generateSql(lists: number): string[] {
  const persons = Math.max(1, Math.round(lists / 20));
  return [
    `CREATE TABLE g AS SELECT l, k, hash(l, k) % 1000 AS item,
       (hash(l, k, 7) % 1000000) / 1e6 < pow(1.0 / (k + 1), 0.7) * (0.05 + 0.5 * pow((hash(hash(l, k) % 1000, 3) % 1000) / 1000.0, 2)) AS clicked
     FROM range(${lists}) a(l), range(10) b(k)`,
    `INSERT INTO events BY NAME
     SELECT 'bench' AS project_id, 'i' || l AS message_id, 'track' AS type, '$impression' AS event,
       TIMESTAMP '2026-01-01' + to_seconds(l * 2) AS timestamp, TIMESTAMP '2026-06-01' AS received_at,
       TIMESTAMP '2026-06-01' AS inserted_at, 'u' || (l % ${persons}) AS distinct_id, 'u' || (l % ${persons}) AS user_id,
       json_object('list_id', 'feed', 'request_id', 'r' || l,
         'items', list(json_object('item_id', 'item_' || item, 'position', k + 1) ORDER BY k))::VARCHAR AS properties
     FROM g GROUP BY l`,
    `INSERT INTO events BY NAME
     SELECT 'bench' AS project_id, 'c' || l || '_' || k AS message_id, 'track' AS type, '$click' AS event,
       TIMESTAMP '2026-01-01' + to_seconds(l * 2) + to_milliseconds(100 * (k + 1)) AS timestamp,
       TIMESTAMP '2026-06-01' AS received_at, TIMESTAMP '2026-06-01' AS inserted_at,
       'u' || (l % ${persons}) AS distinct_id, 'u' || (l % ${persons}) AS user_id,
       json_object('item_id', 'item_' || item, 'position', k + 1, 'list_id', 'feed', 'request_id', 'r' || l)::VARCHAR AS properties
     FROM g WHERE clicked`,
    'DROP TABLE g',
  ];
}

function rssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** The JS heap's high-water mark, sampled: what the TypeScript side holds (DuckDB's memory is in RSS only). */
let peakHeap = 0;
function sampleHeap(): void {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}
const heapMb = () => Math.round(peakHeap / 2 ** 20);

/** One measured phase, run inside a child process. */
async function child(phase: string, db: string): Promise<Record<string, unknown>> {
  const wh = await openWarehouse({ path: db, isReadOnly: true, threads: THREADS });
  const sampler = setInterval(sampleHeap, 50);
  const cpu0 = process.cpuUsage();
  // CPU time of the whole process (DuckDB's threads included): comparable across runs on a shared machine.
  const cpuMs = () => {
    const d = process.cpuUsage(cpu0);
    return Math.round((d.user + d.system) / 1000);
  };
  try {
    const started = performance.now();
    if (phase === 'scan') {
      const sql = await wh.all({
        sql: `SELECT count(*) AS n FROM (SELECT unnest(from_json(properties, '{"items":[{"item_id":"VARCHAR"}]}').items) FROM events WHERE project_id = 'bench' AND event = '$impression')`,
      });
      const sqlMs = performance.now() - started;
      const data = await openClickData(wh, 'bench', { ...DATA, testFraction: 0 });
      const passStarted = performance.now();
      const passCpu = cpuMs();
      let lists = 0;
      let impressions = 0;
      for await (const batch of data.lists('all')) {
        lists += batch.length;
        for (const l of batch) impressions += l.items.length;
      }
      return {
        sqlScanMs: Math.round(sqlMs),
        sqlRows: sql[0]?.n,
        listPassMs: Math.round(performance.now() - passStarted),
        listPassCpuMs: cpuMs() - passCpu,
        lists,
        impressions,
        peakRssMb: rssMb(),
      };
    }
    const data = await openClickData(wh, 'bench', DATA);
    const passes: number[] = [];
    let last = performance.now();
    const { models } = await fitModels(data, { models: [phase as 'pbm' | 'dbn'] }, () => {
      passes.push(Math.round(performance.now() - last));
      last = performance.now();
    });
    const m = models[0];
    return {
      fitMs: Math.round(performance.now() - started),
      fitCpuMs: cpuMs(),
      iterations: m?.iterations,
      isConverged: m?.isConverged,
      passMs: passes,
      ...(m?.continuation === undefined ? {} : { continuation: m.continuation }),
      examination: m?.positions().map((p) => +p.examination.value.toFixed(4)),
      peakRssMb: rssMb(),
      peakHeapMb: heapMb(),
    };
  } finally {
    clearInterval(sampler);
    await wh.close();
  }
}

function runChild(phase: string, db: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      [
        ...process.execArgv,
        process.argv[1] as string,
        '--child',
        phase,
        '--db',
        db,
        '--threads',
        String(THREADS),
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    p.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as Record<string, unknown>)
        : reject(new Error(`${phase} exited ${code}`)),
    );
  });
}

async function size(impressions: number): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(os.tmpdir(), 'pathwise-bench-clicks-'));
  const db = join(dir, 'bench.duckdb');
  try {
    const wh = await openWarehouse({ path: db, threads: THREADS });
    await createProject(wh, 'bench', { projectId: 'bench' });
    const started = performance.now();
    for (const sql of generateSql(Math.round(impressions / 10))) await wh.run({ sql });
    const counts = await wh.all({ sql: `SELECT event, count(*) AS n FROM events GROUP BY ALL ORDER BY ALL` });
    await wh.close();
    const generateMs = Math.round(performance.now() - started);
    const scan = await runChild('scan', db);
    const pbm = await runChild('pbm', db);
    const dbn = await runChild('dbn', db);
    const pass = Number(scan.listPassMs);
    const passCpu = Number(scan.listPassCpuMs);
    return {
      impressions,
      events: Object.fromEntries(counts.map((r) => [String(r.event), r.n])),
      dbMb: Math.round(statSync(db).size / 2 ** 20),
      generateMs,
      scan,
      pbm: {
        ...pbm,
        ratioToListPass: +(Number(pbm.fitMs) / pass).toFixed(2),
        cpuRatioToListPass: +(Number(pbm.fitCpuMs) / passCpu).toFixed(2),
      },
      dbn: {
        ...dbn,
        ratioToListPass: +(Number(dbn.fitMs) / pass).toFixed(2),
        cpuRatioToListPass: +(Number(dbn.fitCpuMs) / passCpu).toFixed(2),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (args.child) {
    process.stdout.write(JSON.stringify(await child(args.child, args.db as string)));
    return;
  }
  const results = [];
  for (const n of args.impressions.split(',').map(Number)) results.push(await size(n));
  const machine = {
    cpus: os.cpus().length,
    threads: THREADS,
    loadAverage: os.loadavg().map((x) => +x.toFixed(2)),
  };
  process.stdout.write(`${JSON.stringify({ machine, results }, null, 2)}\n`);
}

await main();
