/**
 * The server of bench/ctr's scoring latency, run as a child process (fork) so that neither the
 * load client nor the model training shares its event loop or heap. It is a normal server
 * (startServer on a DuckDB file that holds a stored model). Over IPC it gets a ServerConfig,
 * answers `{ port }` once listening, then answers `mark` (CPU and GC counters start) and
 * `report` (a ServerReport since the mark), and closes on `close`.
 *
 * With `root` set it starts that checkout's server (`<root>/src/server/index.ts`, under tsx),
 * so that a baseline build runs in the same benchmark as this one.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

/** What the parent asks for. */
export interface ServerConfig {
  readonly db: string;
  /** Another checkout whose server to start; this one's when null. */
  readonly root: string | null;
  /** Where to write a V8 CPU profile of the window between `mark` and `report`; null for none. */
  readonly profileDir: string | null;
}

/** What the server process used between `mark` and `report`. */
export interface ServerReport {
  readonly cpuUserMs: number;
  readonly cpuSystemMs: number;
  /** Garbage collections: scavenges (minor) and mark-compacts (major), with their pauses. */
  readonly gc: { minor: GcStat; major: GcStat };
  readonly heapUsedMb: number;
}

interface GcStat {
  count: number;
  totalMs: number;
  maxMs: number;
}

interface Startable {
  startServer(options: { db: string; port: number; host: string }): Promise<{
    url: string;
    close(): Promise<void>;
  }>;
}

async function serverModule(root: string | null): Promise<Startable> {
  if (root === null) return (await import('../src/server/index.js')) as Startable;
  return (await import(pathToFileURL(join(root, 'src', 'server', 'index.ts')).href)) as Startable;
}

const zero = (): GcStat => ({ count: 0, totalMs: 0, maxMs: 0 });
let gc = { minor: zero(), major: zero() };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
    const stat = kind === constants.NODE_PERFORMANCE_GC_MINOR ? gc.minor : gc.major;
    stat.count++;
    stat.totalMs += entry.duration;
    stat.maxMs = Math.max(stat.maxMs, entry.duration);
  }
}).observe({ entryTypes: ['gc'] });

/** The inspector's CPU profiler, for the measured window only (not the start-up). */
const profiler = {
  session: null as Session | null,
  start(): void {
    this.session = new Session();
    this.session.connect();
    this.session.post('Profiler.enable');
    this.session.post('Profiler.setSamplingInterval', { interval: 100 });
    this.session.post('Profiler.start');
  },
  stopInto(dir: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.session?.post('Profiler.stop', (err, result) => {
        if (err) return reject(err);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, `predict-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
        this.session?.disconnect();
        resolve();
      });
    });
  },
};

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

process.once('message', (config: ServerConfig) => {
  void (async () => {
    const { startServer } = await serverModule(config.root);
    const server = await startServer({ db: config.db, port: 0, host: '127.0.0.1' });
    let cpu = process.cpuUsage();
    process.on('message', async (m: string) => {
      if (m === 'mark') {
        if (config.profileDir) profiler.start();
        gc = { minor: zero(), major: zero() };
        cpu = process.cpuUsage();
        process.send?.({ marked: true });
      } else if (m === 'report') {
        const used = process.cpuUsage(cpu);
        if (config.profileDir) await profiler.stopInto(config.profileDir);
        const report: ServerReport = {
          cpuUserMs: round(used.user / 1000),
          cpuSystemMs: round(used.system / 1000),
          gc: {
            minor: { ...gc.minor, totalMs: round(gc.minor.totalMs), maxMs: round(gc.minor.maxMs) },
            major: { ...gc.major, totalMs: round(gc.major.totalMs), maxMs: round(gc.major.maxMs) },
          },
          heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1e5) / 10,
        };
        process.send?.({ report });
      } else if (m === 'close') {
        void server.close().then(() => process.exit(0));
      }
    });
    process.send?.({ port: Number(new URL(server.url).port) });
  })().catch((err: unknown) => {
    process.send?.({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, () =>
      process.exit(1),
    );
  });
});
