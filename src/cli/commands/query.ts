import type { Command } from 'commander';
import { runCtrQuery } from '../../clicks/index.js';
import { SERVER_DEFAULTS } from '../../core/index.js';
import { parseCtrSpec, parseInsightSpec, runQuery } from '../../query/index.js';
import { parseSessionsQuery, runSessionsQuery } from '../../sessions/index.js';
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
      if (kind === 'sessions') {
        const spec = parseSessionsQuery(raw);
        await withStore(opts.db, false, async (wh) => {
          const project = await findProject(wh, opts.project);
          const action = { projectId: project.projectId, action: 'query', detail: spec };
          const result = await withAudit(wh, action, () => runSessionsQuery(wh, project.projectId, spec));
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        });
        return;
      }
      if (typeof raw === 'object' && raw !== null && (raw as { kind?: unknown }).kind === 'ctr') {
        const spec = parseCtrSpec(raw);
        await withStore(opts.db, true, async (wh) => {
          process.stdout.write(`${JSON.stringify(await runCtrQuery(wh, opts.project, spec), null, 2)}\n`);
        });
        return;
      }
      const spec = parseInsightSpec(raw);
      await withStore(opts.db, false, async (wh) => {
        const project = await findProject(wh, opts.project);
        const action = { projectId: project.projectId, action: 'query', detail: spec };
        const result = await withAudit(wh, action, () => runQuery(wh, project.projectId, spec));
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      });
    });
}
