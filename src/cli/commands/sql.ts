import type { Command } from 'commander';
import { SERVER_DEFAULTS } from '../../core/index.js';
import { runReadOnlySql } from '../../store/index.js';
import { defaultFormat, printRows } from '../output.js';
import { withStore } from '../store.js';

/** `pathwise sql "SELECT …"`. */
export function registerSqlCommand(program: Command): void {
  program
    .command('sql <statement>')
    .description('run read-only SQL over the store (tables and columns: see README)')
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .option('--format <format>', 'table|json')
    .action(async (statement: string, opts: { db: string; format?: 'table' | 'json' }) => {
      await withStore(opts.db, true, async (wh) => {
        printRows(await runReadOnlySql(wh, statement), opts.format ?? defaultFormat());
      });
    });
}
