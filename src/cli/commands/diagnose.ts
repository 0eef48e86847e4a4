import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { PathwiseError, SERVER_DEFAULTS } from '../../core/index.js';
import { parseDiagnoseSpec, runDiagnosis } from '../../diagnose/index.js';
import { findProject } from '../../store/index.js';
import { withStore } from '../store.js';

/** The --spec argument: inline JSON when it looks like an object, else a file path. */
function readSpec(arg: string): unknown {
  const text = arg.trimStart().startsWith('{') ? arg : existsSync(arg) ? readFileSync(arg, 'utf8') : null;
  if (text === null) throw new PathwiseError('PW_IMPORT_FILE_NOT_FOUND', { file: arg });
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new PathwiseError('PW_DIAGNOSE_INVALID_SPEC', { reason: `not JSON: ${(err as Error).message}` });
  }
}

/** `pathwise diagnose --spec FILE|JSON`: diagnoses a funnel and prints the result (JSON) or its summary. */
export function registerDiagnoseCommand(program: Command): void {
  program
    .command('diagnose')
    .description('diagnose a funnel: biggest drop, segments that convert worse and since when, correlations')
    .requiredOption(
      '--spec <spec>',
      'a diagnosis spec file, or the spec as inline JSON ({"funnel": {...}, ...})',
    )
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .option('--project <project>', 'project id or name', 'default')
    .option('--format <format>', 'json (the whole result) or text (the summary)', 'json')
    .action(async (opts: { spec: string; db: string; project: string; format: string }) => {
      if (opts.format !== 'json' && opts.format !== 'text')
        throw new PathwiseError('PW_CONFIG_INVALID', {
          reason: `--format must be json or text, got "${opts.format}"`,
        });
      const spec = parseDiagnoseSpec(readSpec(opts.spec));
      await withStore(opts.db, true, async (wh) => {
        const project = await findProject(wh, opts.project);
        const result = await runDiagnosis(wh, project.projectId, spec);
        const text =
          opts.format === 'json'
            ? JSON.stringify(result, null, 2)
            : [
                ...result.summary.lines,
                ...(result.summary.hypothesis ? [`Hypothesis: ${result.summary.hypothesis}`] : []),
              ].join('\n');
        process.stdout.write(`${text}\n`);
      });
    });
}
