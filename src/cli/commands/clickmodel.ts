import type { Command } from 'commander';
import {
  type ClickModelReport,
  type FitProgress,
  fitClickModels,
  type ModelReport,
  parseClickModelSpec,
  parseReplaySpec,
  replayRanking,
} from '../../clicks/index.js';
import { PathwiseError, SERVER_DEFAULTS } from '../../core/index.js';
import { defaultFormat, printRows } from '../output.js';
import { readSpec } from '../spec-arg.js';
import { withStore } from '../store.js';

interface CommonOptions {
  spec?: string;
  from?: string;
  to?: string;
  db: string;
  project: string;
  format?: 'table' | 'json';
}

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The spec file (or inline JSON) with the command-line options laid over it. */
function specOf(opts: CommonOptions, extra: Record<string, unknown>): Record<string, unknown> {
  const base = opts.spec ? readSpec(opts.spec) : {};
  if (typeof base !== 'object' || base === null || Array.isArray(base))
    throw new PathwiseError('PW_QUERY_INVALID_SPEC', { reason: '--spec must be a JSON object' });
  const range = opts.from || opts.to ? { dateRange: { from: opts.from, to: opts.to } } : {};
  const defined = Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined));
  return { ...base, ...range, ...defined };
}

function printModel(m: ModelReport): void {
  const head = `\n${m.model.toUpperCase()}: ${m.iterations} iteration(s), ${m.isConverged ? 'converged' : 'NOT converged'}`;
  const gamma = m.continuation === undefined ? '' : `, continuation γ = ${round(m.continuation)}`;
  process.stdout.write(`${head}${gamma}, train log-likelihood ${round(m.trainLogLikelihood, 1)}\n`);
  printRows(
    m.positions.map((p) => ({
      position: p.position,
      impressions: p.impressions,
      clicks: p.clicks,
      examination: round(p.examination.value),
      low: round(p.examination.low),
      high: round(p.examination.high),
    })),
    'table',
  );
  printRows(
    m.items.map((x) => ({
      item: x.itemId,
      impressions: x.impressions,
      clicks: x.clicks,
      attractiveness: round(x.attractiveness.value),
      low: round(x.attractiveness.low),
      high: round(x.attractiveness.high),
      ...(x.satisfaction
        ? {
            satisfaction: round(x.satisfaction.value),
            sLow: round(x.satisfaction.low),
            sHigh: round(x.satisfaction.high),
          }
        : {}),
    })),
    'table',
  );
}

function printReport(r: ClickModelReport): void {
  const d = r.data;
  process.stdout.write(
    `${r.dateRange.from} … ${r.dateRange.to}: ${d.items} items, ${d.trainLists ?? '?'} train lists, ${d.testLists} test lists\n` +
      `clicks: ${d.clickJoin.total} (${d.clickJoin.matched} matched, ${d.clickJoin.outsideWindow} outside the window, ${d.clickJoin.noImpression} without impression, ${d.clickJoin.missingKey} without keys)\n` +
      `normalization: ${r.normalization}\n`,
  );
  for (const m of r.models) printModel(m);
  if (r.comparison.length === 0) return;
  process.stdout.write('\nHeld-out comparison (best first)\n');
  printRows(
    r.comparison.map((c) => ({
      model: c.model,
      lists: c.lists,
      logLikelihood: round(c.logLikelihood, 1),
      perList: round(c.logLikelihoodPerList),
      perplexity: round(c.perplexity),
      ...Object.fromEntries(c.perplexityByPosition.map((p) => [`@${p.position}`, round(p.perplexity)])),
    })),
    'table',
  );
}

function common(c: Command): Command {
  return c
    .option('--spec <spec>', 'data spec file or inline JSON (dateRange, where, conventions, …)')
    .option('--from <date>', 'first day (project time zone) or instant')
    .option('--to <date>', 'last day (inclusive) or instant')
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .option('--project <project>', 'project id or name', 'default')
    .option('--format <format>', 'table or json');
}

type FitOptions = CommonOptions & {
  model?: string;
  testFraction?: string;
  maxPosition?: string;
  items?: string;
};

const numberOr = (v: string | undefined) => (v === undefined ? undefined : Number(v));

async function fit(opts: FitOptions): Promise<void> {
  const spec = parseClickModelSpec(
    specOf(opts, {
      models: opts.model?.split(',').map((m) => m.trim()),
      testFraction: numberOr(opts.testFraction),
      maxPosition: numberOr(opts.maxPosition),
      itemLimit: numberOr(opts.items),
    }),
  );
  const onPass: FitProgress | undefined = process.stderr.isTTY
    ? (e) => process.stderr.write(`${e.model} pass ${e.pass}: ${e.lists} lists\n`)
    : undefined;
  await withStore(opts.db, true, async (wh) => {
    const report = await fitClickModels(wh, opts.project, spec, onPass ? { onPass } : {});
    if ((opts.format ?? defaultFormat()) === 'json')
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else printReport(report);
  });
}

async function replay(opts: CommonOptions & { scores: string; maxWeight?: string }): Promise<void> {
  const spec = parseReplaySpec(
    specOf(opts, { scores: readSpec(opts.scores), maxWeight: numberOr(opts.maxWeight) }),
  );
  await withStore(opts.db, true, async (wh) => {
    const r = await replayRanking(wh, opts.project, spec);
    if ((opts.format ?? defaultFormat()) === 'json') {
      process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
      return;
    }
    const c = r.clicksPerList;
    const ratio = r.ratio === null ? '-' : round(r.ratio, 3);
    process.stdout.write(
      `${r.lists} lists; logged ${round(r.loggedClicksPerList)} clicks per list; new ranking ${round(c.value)} [${round(c.low)}, ${round(c.high)}] (ratio ${ratio})\n`,
    );
    printRows(
      r.byPosition.map((p) => ({
        position: p.position,
        loggedCtr: round(p.loggedCtr),
        estimatedCtr: round(p.estimatedCtr),
      })),
      'table',
    );
  });
}

/** `pathwise clickmodel fit|replay`: click models on stored impressions (README, "Click models"). */
export function registerClickModelCommand(program: Command): void {
  const cmd = program
    .command('clickmodel')
    .description('click models for position bias: fit, compare, replay');
  common(cmd.command('fit'))
    .description('fit PBM, cascade and DBN and compare them on held-out lists')
    .option('--model <models>', 'comma-separated: pbm,cascade,dbn (default all)')
    .option('--test-fraction <share>', 'share of lists held out (default 0.2)')
    .option('--max-position <n>', 'positions above this are left out (default 20)')
    .option('--items <n>', 'items listed per model (default 50)')
    .action(fit);
  common(cmd.command('replay'))
    .description('estimate the clicks of a re-ranking from logged lists (IPS with PBM examination)')
    .requiredOption(
      '--scores <scores>',
      'JSON file or inline JSON: {"item_id": score, …}, higher ranks first',
    )
    .option('--max-weight <w>', 'cap on each click weight γ(new)/γ(logged)')
    .action(replay);
}
