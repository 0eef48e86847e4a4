import type { Command } from 'commander';
import { SERVER_DEFAULTS } from '../../core/index.js';
import { startServer } from '../../server/index.js';

/** The dashboard's address with the read key in the fragment (never sent to the server; the app keeps it). */
export function dashboardUrl(serverUrl: string, readKey: string): string {
  return `${serverUrl}/#key=${encodeURIComponent(readKey)}`;
}

/** Waits for SIGTERM/SIGINT, then stops accepting, flushes, checkpoints and exits 0. */
export function closeOnSignal(close: () => Promise<void>): void {
  let isStopping = false;
  const stop = (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    process.stderr.write(`${signal}: stopping — committing queued events and checkpointing…\n`);
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`error while stopping: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** `pathwise serve`. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the Segment-compatible ingest API and the admin routes over a DuckDB file')
    .option('--db <path>', 'database file (created on first start)', SERVER_DEFAULTS.db)
    .option('--port <port>', 'port', String(SERVER_DEFAULTS.port))
    .option('--host <host>', 'address to listen on', SERVER_DEFAULTS.host)
    .option('--commit-delay-ms <ms>', 'group-commit wait when idle', '0')
    .option('--log', 'log requests and errors as JSON')
    .action(
      async (opts: { db: string; port: string; host: string; commitDelayMs: string; log?: boolean }) => {
        const server = await startServer({
          db: opts.db,
          port: Number(opts.port),
          host: opts.host,
          isLogged: opts.log ?? false,
          commitDelayMs: Number(opts.commitDelayMs),
        });
        process.stdout.write(`pathwise listening on ${server.url} (db ${opts.db})\n`);
        if (server.createdProject) {
          process.stdout.write(
            `created project "default"\n  write key: ${server.createdProject.writeKey}\n  read key:  ${server.createdProject.readKey}\n` +
              '  (shown once: keys are stored hashed)\n' +
              `dashboard: ${dashboardUrl(server.url, server.createdProject.readKey)}\n` +
              '  (the read key shows insights and dashboards; People and Live events need a key with pii:\n' +
              '   pathwise key create --scopes view,query,pii)\n',
          );
        }
        closeOnSignal(server.close);
      },
    );
}
