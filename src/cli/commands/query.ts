import type { Command } from 'commander';
import { SERVER_DEFAULTS } from '../../core/index.js';
import { parseQueryRequest, runQueryRequest } from '../../server/index.js';
import { findProject } from '../../store/index.js';
import { withAudit } from '../audit.js';
import { readSpec } from '../spec-arg.js';
import { withStore } from '../store.js';
import { printAttribution } from './attribution.js';

/** `pathwise query --spec FILE|JSON`: runs an insight and prints its result as JSON. */
export function registerQueryCommand(program: Command): void {
  program
    .command('query')
    .description(
      'run an insight spec (funnel, trends, retention, paths, sessions, attribution, ctr) and print the result as JSON',
    )
    .requiredOption('--spec <spec>', 'a spec file, or the spec as inline JSON')
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .option('--project <project>', 'project id or name', 'default')
    .action(async (opts: { spec: string; db: string; project: string }) => {
      const raw = readSpec(opts.spec);
      const kind = typeof raw === 'object' && raw !== null ? (raw as { kind?: unknown }).kind : undefined;
      if (kind === 'attribution') {
        await printAttribution(raw, opts.db, opts.project);
        return;
      }
      // The same parsing and running as POST /api/query, `shareable` included.
      const request = parseQueryRequest(raw);
      await withStore(opts.db, false, async (wh) => {
        const project = await findProject(wh, opts.project);
        const action = { projectId: project.projectId, action: 'query', detail: request.spec };
        const result = await withAudit(wh, action, () => runQueryRequest(wh, project.projectId, request));
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      });
    });
}
