import cliProgress from 'cli-progress';
import { isPathwiseError } from '../core/index.js';

/** A progress bar on a terminal, nothing otherwise (CI logs stay readable). */
export function progressBar(label: string): { update(done: number, total: number): void; stop(): void } {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  let isStarted = false;
  return {
    update(done, total) {
      if (!isStarted) {
        bar.start(total, 0);
        isStarted = true;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      if (isStarted) bar.stop();
    },
  };
}

/** Prints rows as an aligned table (terminal) or JSON lines. */
export function printRows(rows: readonly Record<string, unknown>[], format: 'table' | 'json'): void {
  if (format === 'json') {
    for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
    return;
  }
  if (rows.length === 0) {
    process.stdout.write('(no rows)\n');
    return;
  }
  const columns = Object.keys(rows[0] ?? {});
  const cells = rows.map((r) => columns.map((c) => cellText(r[c])));
  const widths = columns.map((c, i) =>
    Math.min(60, Math.max(c.length, ...cells.map((row) => row[i]?.length ?? 0))),
  );
  const line = (values: readonly string[]) =>
    values
      .map((v, i) =>
        v.length > (widths[i] ?? 0) ? `${v.slice(0, (widths[i] ?? 1) - 1)}…` : v.padEnd(widths[i] ?? 0),
      )
      .join('  ');
  process.stdout.write(`${line(columns)}\n${line(widths.map((w) => '─'.repeat(w)))}\n`);
  for (const row of cells) process.stdout.write(`${line(row)}\n`);
  process.stdout.write(`(${rows.length} row${rows.length === 1 ? '' : 's'})\n`);
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Prints an error as `error CODE: message` and sets a failing exit code. */
export function reportError(err: unknown): void {
  if (isPathwiseError(err)) {
    process.stderr.write(`error ${err.code}: ${err.message}\n`);
  } else {
    process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exitCode = 1;
}

/** The default output format: a table on a terminal, JSON lines otherwise. */
export function defaultFormat(): 'table' | 'json' {
  return process.stdout.isTTY ? 'table' : 'json';
}
