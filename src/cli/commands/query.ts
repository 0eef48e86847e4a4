import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { PathwiseError, SERVER_DEFAULTS } from '../../core/index.js';
import { parseQueryRequest, runQueryRequest } from '../../server/index.js';
import { findProject } from '../../store/index.js';
import { withStore } from '../store.js';

/** The --spec argument: inline JSON when it looks like an object, else a file path. */
function readSpec(arg: string): unknown {
  const text = arg.trimStart().startsWith('{') ? arg : existsSync(arg) ? readFileSync(arg, 'utf8') : null;
  if (text === null) throw new PathwiseError('PW_IMPORT_FILE_NOT_FOUND', { file: arg });
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new PathwiseError('PW_QUERY_INVALID_SPEC', { reason: `not JSON: ${(err as Error).message}` });
  }
}

/** `pathwise query --spec FILE|JSON`: runs an insight and prints its result as JSON. */
export function registerQueryCommand(program: Command): void {
  program
    .command('query')
    .description('run an insight spec (funnel, trends, retention, paths) and print the result as JSON')
    .requiredOption('--spec <spec>', 'a spec file, or the spec as inline JSON')
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .option('--project <project>', 'project id or name', 'default')
    .action(async (opts: { spec: string; db: string; project: string }) => {
      // The same parsing and running as POST /api/query, `shareable` included.
      const request = parseQueryRequest(readSpec(opts.spec));
      await withStore(opts.db, true, async (wh) => {
        const project = await findProject(wh, opts.project);
        const result = await runQueryRequest(wh, project.projectId, request);
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      });
    });
}
