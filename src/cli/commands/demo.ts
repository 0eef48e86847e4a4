import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { importJsonLines, startIngest } from '../../ingest/index.js';
import { startServer } from '../../server/index.js';
import { simulateInWorker } from '../../sim/index.js';
import { ensureDefaultProject, issueApiKey, openWarehouse, summarizeEvents } from '../../store/index.js';
import { printRows, progressBar } from '../output.js';
import { closeOnSignal, dashboardUrl } from './serve.js';

interface DemoFlags {
  users: string;
  days: string;
  seed: string;
  dir: string;
  port: string;
  host: string;
  serve: boolean;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Simulates, imports through the real import pipeline, prints a first look, then serves. */
async function runDemo(flags: DemoFlags): Promise<void> {
  const started = performance.now();
  mkdirSync(flags.dir, { recursive: true });
  const db = join(flags.dir, 'demo.duckdb');
  rmSync(db, { force: true });
  rmSync(`${db}.wal`, { force: true });
  const users = Number(flags.users);
  const sim = simulateInWorker({
    scenario: 'mix',
    users,
    days: Number(flags.days),
    seed: Number(flags.seed),
    end: today(),
  });
  process.stderr.write(
    `simulating ${users} users over ${flags.days} days (mix: shop, SaaS, feed) into ${db}\n`,
  );

  const wh = await openWarehouse({ path: db });
  const keys = await ensureDefaultProject(wh);
  // The data is simulated and the server listens on loopback: the demo's dashboard link carries a
  // key with every reading scope and `admin`, so that every page (People, Live events, Audit log)
  // can be tried; the default read key (view, query) sees less (README, "Access").
  const dashboardKey = (
    await issueApiKey(wh, {
      projectId: 'default',
      scopes: ['view', 'query', 'export', 'pii', 'admin'],
      name: 'demo dashboard',
    })
  ).key;
  const writer = await startIngest(wh);
  const bar = progressBar('simulate + import');
  const counts = await importJsonLines(writer, sim.lines(), {
    projectId: 'default',
    source: 'import:demo-simulation',
    // A fresh database: the dedup memory holds every stored id.
    isHistoryChecked: false,
    onRecords: () => bar.update(sim.personsDone, users),
  });
  bar.stop();
  await writer.close();
  writeFileSync(join(flags.dir, 'truth.json'), `${JSON.stringify(await sim.truth(), null, 2)}\n`);
  const summary = await summarizeEvents(wh, 'default');
  await wh.close();

  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `\nimported ${counts.imported} events of ${counts.records} simulated messages in ${seconds.toFixed(1)} s ` +
      `(${counts.duplicates} duplicates, ${counts.rejected} rejected)\n` +
      `${summary.distinctIds} distinct ids, ${summary.first} … ${summary.last}\n\ntop events:\n`,
  );
  printRows(summary.topEvents, 'table');
  process.stdout.write('\nchannels of landing page views:\n');
  printRows(summary.channels, 'table');
  process.stdout.write(`\nplanted truth: ${join(flags.dir, 'truth.json')}\n`);
  if (!flags.serve) return;

  const server = await startServer({ db, port: Number(flags.port), host: flags.host });
  process.stdout.write(
    `\nPathwise is serving ${db} at ${server.url}\n` +
      `  dashboard: ${dashboardUrl(server.url, dashboardKey)}\n` +
      `  write key: ${keys?.writeKey}\n  read key:  ${keys?.readKey}\n` +
      `  try: curl -u '${keys?.writeKey}:' ${server.url}/v1/track -H 'content-type: application/json' -d '{"userId":"me","event":"Hello"}'\n` +
      `  API: ${server.url}/openapi.json · metrics: ${server.url}/metrics\n` +
      '  (Ctrl-C stops and checkpoints)\n',
  );
  closeOnSignal(server.close);
}

/** `pathwise demo`: what `npm run demo` runs. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'simulate ~50k users, import them through the real pipeline into a fresh database, and serve it',
    )
    .option('--users <n>', 'simulated persons', '50000')
    .option('--days <n>', 'days of history, ending today', '14')
    .option('--seed <n>', 'random seed', '1')
    .option('--dir <path>', 'folder for the database and the truth manifest', '.pathwise')
    .option('--port <port>', 'port', '8000')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--no-serve', 'stop after the import')
    .action(runDemo);
}
