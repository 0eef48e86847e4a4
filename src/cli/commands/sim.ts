import type { Command } from 'commander';
import { runSimulation, type Scenario } from '../../sim/index.js';

interface SimFlags {
  scenario: Scenario;
  users: string;
  days: string;
  seed: string;
  end?: string;
  out?: string;
  gzip?: boolean;
  truth?: string;
  url?: string;
  writeKey?: string;
  threads: string;
}

/** `pathwise sim`: generate simulated behaviour with planted truth. */
export function registerSimCommand(program: Command): void {
  program
    .command('sim')
    .description('simulate users (Segment messages) with planted ground truth')
    .option('--scenario <name>', 'ecommerce|saas|feed|mix', 'ecommerce')
    .option('--users <n>', 'number of persons', '10000')
    .option('--days <n>', 'days of data, ending at --end', '30')
    .option('--seed <n>', 'random seed (uint32)', '1')
    .option('--end <date>', 'end of the range, exclusive (ISO date; default: today, UTC midnight)')
    .option('--out <file>', "JSONL file ('.gz' compresses; '-' for stdout)")
    .option('--gzip', 'gzip the output file')
    .option('--truth <file>', 'write the truth manifest (JSON) here')
    .option('--url <baseUrl>', 'send to a running server instead (POST {url}/v1/batch)')
    .option('--write-key <key>', 'write key for --url')
    .option('--threads <n>', 'worker threads generating a file or stdout (the same bytes for any count)', '1')
    .action(async (flags: SimFlags) => {
      const http = flags.url ? { baseUrl: flags.url, writeKey: flags.writeKey ?? '' } : undefined;
      const run = await runSimulation(
        {
          scenario: flags.scenario,
          users: Number(flags.users),
          days: Number(flags.days),
          seed: Number(flags.seed),
          end: flags.end,
        },
        {
          out: http ? undefined : (flags.out ?? 'events.jsonl'),
          gzip: flags.gzip,
          http,
          truthPath: flags.truth,
          threads: Number(flags.threads),
        },
      );
      const where = http ? flags.url : flags.out;
      process.stderr.write(
        `simulated ${run.messages} messages (${run.truth.counts.persons} persons) to ${where} ` +
          `in ${run.seconds.toFixed(1)} s (${run.eventsPerSec} events/s)\n`,
      );
    });
}
