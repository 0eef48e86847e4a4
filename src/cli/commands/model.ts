import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { type ErrorCode, PathwiseError, SERVER_DEFAULTS } from '../../core/index.js';
import {
  ctrModelOf,
  describeModel,
  parseCtrTrainSpec,
  parseModelName,
  parsePredictBody,
  trainCtr,
} from '../../server/index.js';
import { findModel, findProject, listModels } from '../../store/index.js';
import { defaultFormat, printRows, progressBar } from '../output.js';
import { withStore } from '../store.js';

/** A JSON argument: inline when it starts like JSON, else a file path. */
function readJson(arg: string, code: ErrorCode): unknown {
  const inline = /^\s*[[{]/.test(arg);
  const text = inline ? arg : existsSync(arg) ? readFileSync(arg, 'utf8') : null;
  if (text === null) throw new PathwiseError('PW_IMPORT_FILE_NOT_FOUND', { file: arg });
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new PathwiseError(code, { reason: `not JSON: ${(err as Error).message}` });
  }
}

function positiveInt(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new PathwiseError('PW_MODEL_INVALID_SPEC', { reason: `--version ${value}` });
  return n;
}

function registerTrain(model: Command): void {
  model
    .command('train <kind>')
    .description('train a model (kind: ctr) from the stored events and store it as the next version')
    .requiredOption('--spec <spec>', 'a spec file, or the spec as inline JSON')
    .requiredOption('--name <name>', 'model name')
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .option('--project <project>', 'project id or name', 'default')
    .action(async (kind: string, opts: { spec: string; name: string; db: string; project: string }) => {
      if (kind !== 'ctr')
        throw new PathwiseError('PW_MODEL_INVALID_SPEC', { reason: `no model kind "${kind}" (ctr)` });
      const spec = parseCtrTrainSpec(readJson(opts.spec, 'PW_MODEL_INVALID_SPEC'));
      const name = parseModelName(opts.name);
      await withStore(opts.db, false, async (wh) => {
        const project = await findProject(wh, opts.project);
        const bar = progressBar(`training ${name}`);
        try {
          const record = await trainCtr(wh, project.projectId, name, spec, (p) =>
            bar.update(Math.round(p.fraction * 1000), 1000),
          );
          bar.stop();
          const { params: _params, ...shown } = describeModel(record);
          process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
        } finally {
          bar.stop();
        }
      });
    });
}

function registerList(model: Command): void {
  model
    .command('list')
    .description('the latest version of each model with its test metrics')
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .option('--project <project>', 'project id or name', 'default')
    .option('--format <format>', 'table or json', defaultFormat())
    .action(async (opts: { db: string; project: string; format: 'table' | 'json' }) => {
      await withStore(opts.db, true, async (wh) => {
        const project = await findProject(wh, opts.project);
        const rows = (await listModels(wh, project.projectId)).map((m) => {
          const test = (m.metrics as { test?: Record<string, unknown> } | null)?.test ?? {};
          return {
            name: m.name,
            version: m.version,
            versions: m.versions,
            kind: m.kind,
            created_at: m.createdAt,
            test_rows: test.rows ?? null,
            test_log_loss: test.logLoss ?? null,
            test_auc: test.rocAuc ?? null,
          };
        });
        printRows(rows, opts.format);
      });
    });
}

function registerShow(model: Command): void {
  model
    .command('show <name>')
    .description('a model as JSON: spec, ranges, metrics, importance and "what drives CTR"')
    .option('--version <n>', 'a version (default: the latest)')
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .option('--project <project>', 'project id or name', 'default')
    .action(async (name: string, opts: { version?: string; db: string; project: string }) => {
      await withStore(opts.db, true, async (wh) => {
        const project = await findProject(wh, opts.project);
        const record = await findModel(wh, project.projectId, name, positiveInt(opts.version));
        process.stdout.write(`${JSON.stringify(describeModel(record), null, 2)}\n`);
      });
    });
}

function registerPredict(model: Command): void {
  model
    .command('predict <name>')
    .description('score candidates: P(click) of each, as JSON')
    .requiredOption(
      '--candidates <json>',
      'a file or inline JSON: an array of candidates, or {candidates, context}',
    )
    .option('--version <n>', 'a version (default: the latest)')
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .option('--project <project>', 'project id or name', 'default')
    .action(
      async (name: string, opts: { candidates: string; version?: string; db: string; project: string }) => {
        const raw = readJson(opts.candidates, 'PW_MODEL_INVALID_CANDIDATES');
        const body = parsePredictBody(Array.isArray(raw) ? { candidates: raw } : raw);
        await withStore(opts.db, true, async (wh) => {
          const project = await findProject(wh, opts.project);
          const record = await findModel(
            wh,
            project.projectId,
            name,
            positiveInt(opts.version) ?? body.version,
          );
          const predictions = ctrModelOf(record).predictMany(body.candidates, body.context ?? {});
          process.stdout.write(`${JSON.stringify({ name, version: record.version, predictions })}\n`);
        });
      },
    );
}

/** `pathwise model train|list|show|predict`. */
export function registerModelCommand(program: Command): void {
  const model = program.command('model').description('CTR models: train, list, show, predict');
  registerTrain(model);
  registerList(model);
  registerShow(model);
  registerPredict(model);
}
