import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { PathwiseError, SERVER_DEFAULTS } from '../../core/index.js';
import {
  analyzeExperimentByKey,
  createExperiment,
  type ExperimentAnalysis,
  formatP,
  listExperiments,
} from '../../experiments/index.js';
import { findProject } from '../../store/index.js';
import { defaultFormat, printRows } from '../output.js';
import { withStore } from '../store.js';

/** The definition argument: inline JSON when it looks like an object, else a file path. */
function readDefinition(arg: string): unknown {
  const text = arg.trimStart().startsWith('{') ? arg : existsSync(arg) ? readFileSync(arg, 'utf8') : null;
  if (text === null) throw new PathwiseError('PW_IMPORT_FILE_NOT_FOUND', { file: arg });
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new PathwiseError('PW_EXPERIMENT_INVALID', { reason: `not JSON: ${(err as Error).message}` });
  }
}

function round(x: number | null | undefined, digits = 4): number | null {
  return x === null || x === undefined ? null : Number(x.toPrecision(digits));
}

/** One row per metric and variant: the headline numbers of an analysis. */
function analysisRows(a: ExperimentAnalysis): Record<string, unknown>[] {
  return a.metrics.flatMap((m) =>
    m.comparisons.map((c) => {
      const r = c.cuped?.result ?? c.result;
      return {
        metric: m.key,
        variant: c.variant,
        control: round(r?.controlMean),
        value: round(r?.variantMean),
        lift: r?.relativeLift == null ? null : `${(r.relativeLift * 100).toFixed(2)}%`,
        p: r ? formatP(r.pValue) : null,
        adjustedP: c.adjustedPValue === null ? null : formatP(c.adjustedPValue),
        sequentialP: c.sequential ? formatP(c.sequential.pValue) : null,
        pBeat: round(c.bayes?.probabilityToBeatControl, 3),
        cuped: c.cuped ? `−${(c.cuped.varianceReduction * 100).toFixed(0)}% var` : '',
        note: c.skipped ?? '',
      };
    }),
  );
}

/** `pathwise experiment create|list|analyze`. */
export function registerExperimentCommand(program: Command): void {
  const experiment = program.command('experiment').description('define and analyze A/B experiments');
  experiment
    .command('create <definition>')
    .description('store an experiment definition (a JSON file, or inline JSON)')
    .option('--replace', 'replace an existing definition with the same key')
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .option('--project <project>', 'project id or name', 'default')
    .action(async (arg: string, opts: { replace?: boolean; db: string; project: string }) => {
      const body = readDefinition(arg);
      await withStore(opts.db, false, async (wh) => {
        const project = await findProject(wh, opts.project);
        const created = await createExperiment(wh, project.projectId, body, {
          isReplacing: opts.replace === true,
        });
        process.stdout.write(`experiment ${created.key} stored (${created.updatedAt})\n`);
      });
    });
  experiment
    .command('list')
    .description("list the project's experiments")
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .option('--project <project>', 'project id or name', 'default')
    .action(async (opts: { db: string; project: string }) => {
      await withStore(opts.db, true, async (wh) => {
        const project = await findProject(wh, opts.project);
        const rows = (await listExperiments(wh, project.projectId)).map((e) => ({
          key: e.key,
          variants: e.definition.variants.join(','),
          start: e.definition.start,
          end: e.definition.end ?? '',
          metrics: e.definition.metrics.map((m) => m.key).join(','),
        }));
        printRows(rows, defaultFormat());
      });
    });
  experiment
    .command('analyze <key>')
    .description('analyze an experiment: verdict lines, then a table per metric and variant')
    .option('--json', 'print the whole analysis as JSON')
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .option('--project <project>', 'project id or name', 'default')
    .action(async (key: string, opts: { json?: boolean; db: string; project: string }) => {
      await withStore(opts.db, true, async (wh) => {
        const project = await findProject(wh, opts.project);
        const analysis = await analyzeExperimentByKey(wh, project.projectId, key);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(analysis, null, 2)}\n`);
          return;
        }
        for (const line of analysis.verdicts) process.stdout.write(`${line}\n`);
        const { multipleVariantUnits, unknownVariantUnits } = analysis.exposure;
        const units = analysis.exposure.arms.map((a) => `${a.variant} ${a.units}`).join(', ');
        process.stdout.write(
          `exposed persons: ${units}; excluded: ${multipleVariantUnits} saw several variants, ${unknownVariantUnits} an unknown one\n\n`,
        );
        printRows(analysisRows(analysis), 'table');
      });
    });
}
