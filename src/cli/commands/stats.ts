import type { Command } from 'commander';
import { PathwiseError } from '../../core/index.js';
import {
  type Alternative,
  mdeMeans,
  mdeProportions,
  powerMeans,
  powerProportions,
  StatsInputError,
  sampleSizeMeans,
  sampleSizeProportions,
  twoProportionZTest,
  welchTTest,
} from '../../stats/index.js';

function number(value: string | undefined, option: string): number {
  const n = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(n))
    throw new PathwiseError('PW_STATS_INVALID_INPUT', { reason: `${option} needs a number, got "${value}"` });
  return n;
}

function numbers(value: string, option: string, separator: string, count: number): number[] {
  const parts = value.split(separator);
  if (parts.length !== count)
    throw new PathwiseError('PW_STATS_INVALID_INPUT', {
      reason: `${option} takes ${count} numbers separated by "${separator}"`,
    });
  return parts.map((p) => number(p, option));
}

/** Common options: --alpha, --alternative (or --sides), --ratio. */
interface DesignOptions {
  alpha: string;
  alternative: string;
  ratio: string;
  json?: boolean;
}

function design(o: DesignOptions) {
  const alternative = o.alternative as Alternative;
  if (!['two-sided', 'greater', 'less'].includes(alternative))
    throw new PathwiseError('PW_STATS_INVALID_INPUT', {
      reason: '--alternative is two-sided, greater or less',
    });
  return { alpha: number(o.alpha, '--alpha'), alternative, ratio: number(o.ratio, '--ratio') };
}

/** Runs a calculation; stats' input errors become PW_STATS_INVALID_INPUT. */
function print(
  o: { json?: boolean },
  compute: () => Record<string, unknown>,
  text: (r: Record<string, unknown>) => string,
) {
  let result: Record<string, unknown>;
  try {
    result = compute();
  } catch (err) {
    if (err instanceof StatsInputError)
      throw new PathwiseError('PW_STATS_INVALID_INPUT', { reason: err.reason });
    throw err;
  }
  process.stdout.write(o.json ? `${JSON.stringify(result)}\n` : `${text(result)}\n`);
}

function withDesign(cmd: Command): Command {
  return cmd
    .option('--alpha <alpha>', 'significance level', '0.05')
    .option('--alternative <alt>', 'two-sided, greater (variant > control) or less', 'two-sided')
    .option('--ratio <ratio>', 'variant size / control size', '1')
    .option('--json', 'print JSON');
}

/** The absolute effect: --mde as given, or times the baseline with --relative. */
function effect(o: { mde: string; relative?: boolean }, baseline: number): number {
  const mde = number(o.mde, '--mde');
  return o.relative ? mde * baseline : mde;
}

interface SizeOptions extends DesignOptions {
  baseline?: string;
  sd?: string;
  mde: string;
  relative?: boolean;
  power: string;
  n?: string;
}

function registerPower(stats: Command): void {
  withDesign(stats.command('power'))
    .description('power for n per control arm (--n) and an effect (--mde); without --mde: the MDE at --power')
    .option('--baseline <rate>', 'control conversion rate (proportions)')
    .option('--sd <sd>', 'standard deviation per unit (means)')
    .option('--mde <effect>', 'effect to detect: absolute, or relative with --relative')
    .option('--relative', '--mde is relative to the baseline')
    .requiredOption('--n <n>', 'units in the control arm')
    .option('--power <power>', 'wanted power, for the MDE', '0.8')
    .action((o: SizeOptions) =>
      print(
        o,
        () => {
          const d = design(o);
          const nControl = number(o.n, '--n');
          const power = number(o.power, '--power');
          if (o.sd !== undefined) {
            const sd = number(o.sd, '--sd');
            if (o.mde === undefined) return { ...mdeMeans({ ...d, sd, nControl, power }), power };
            return { power: powerMeans({ ...d, sd, mde: number(o.mde, '--mde'), nControl }) };
          }
          const baselineRate = number(o.baseline, '--baseline');
          if (o.mde === undefined)
            return { ...mdeProportions({ ...d, baselineRate, nControl, power }), power };
          return { power: powerProportions({ ...d, baselineRate, mde: effect(o, baselineRate), nControl }) };
        },
        (r) =>
          'absolute' in r
            ? `MDE ${r.absolute} (relative ${r.relative}) at power ${r.power}`
            : `power ${r.power}`,
      ),
    );
}

function registerSampleSize(stats: Command): void {
  withDesign(stats.command('samplesize'))
    .description('units per arm to detect an effect with the given power')
    .option('--baseline <rate>', 'control conversion rate (proportions)')
    .option('--sd <sd>', 'standard deviation per unit (means)')
    .requiredOption('--mde <effect>', 'effect to detect: absolute, or relative with --relative')
    .option('--relative', '--mde is relative to the baseline')
    .option('--power <power>', 'wanted power', '0.8')
    .action((o: SizeOptions) =>
      print(
        o,
        () => {
          const d = design(o);
          const power = number(o.power, '--power');
          if (o.sd !== undefined)
            return {
              ...sampleSizeMeans({ ...d, sd: number(o.sd, '--sd'), mde: number(o.mde, '--mde'), power }),
            };
          const baselineRate = number(o.baseline, '--baseline');
          return { ...sampleSizeProportions({ ...d, baselineRate, mde: effect(o, baselineRate), power }) };
        },
        (r) => `control ${r.nControl}, variant ${r.nVariant}, total ${r.total}`,
      ),
    );
}

function comparisonText(r: Record<string, unknown>): string {
  const ci = r.differenceCi as { lower: number; upper: number };
  const rel = r.relativeLift as number | null;
  return `difference ${r.difference} [${ci.lower}, ${ci.upper}], relative ${rel === null ? 'n/a' : `${(rel * 100).toFixed(2)}%`}, statistic ${r.statistic}, p=${r.pValue}`;
}

function registerTests(stats: Command): void {
  withDesign(stats.command('ztest'))
    .description('two-proportion z-test: --control X/N --variant X/N')
    .requiredOption('--control <x/n>', 'conversions/units in control')
    .requiredOption('--variant <x/n>', 'conversions/units in the variant')
    .action((o: DesignOptions & { control: string; variant: string }) =>
      print(
        o,
        () => {
          const d = design(o);
          const [xc = 0, nc = 0] = numbers(o.control, '--control', '/', 2);
          const [xv = 0, nv = 0] = numbers(o.variant, '--variant', '/', 2);
          return { ...twoProportionZTest({ conversions: xc, n: nc }, { conversions: xv, n: nv }, d) };
        },
        comparisonText,
      ),
    );
  withDesign(stats.command('ttest'))
    .description("Welch's t-test from summaries: --control MEAN,SD,N --variant MEAN,SD,N")
    .requiredOption('--control <mean,sd,n>', 'mean, standard deviation and units in control')
    .requiredOption('--variant <mean,sd,n>', 'mean, standard deviation and units in the variant')
    .action((o: DesignOptions & { control: string; variant: string }) =>
      print(
        o,
        () => {
          const d = design(o);
          const arm = (v: string, opt: string) => {
            const [mean = 0, sd = 0, n = 0] = numbers(v, opt, ',', 3);
            return { mean, variance: sd * sd, n };
          };
          return { ...welchTTest(arm(o.control, '--control'), arm(o.variant, '--variant'), d) };
        },
        comparisonText,
      ),
    );
}

/** `pathwise stats power|samplesize|ztest|ttest`: quick calculations on numbers. */
export function registerStatsCommand(program: Command): void {
  const stats = program
    .command('stats')
    .description('quick calculations: power, sample size, z-test, t-test');
  registerPower(stats);
  registerSampleSize(stats);
  registerTests(stats);
}
