import type { Command } from 'commander';
import { SERVER_DEFAULTS } from '../../core/index.js';
import { type ImportFormat, importFile, startIngest } from '../../ingest/index.js';
import { PrivacyPolicy } from '../../privacy/index.js';
import { processNewEvents } from '../../server/index.js';
import { ensureDefaultProject, findProject } from '../../store/index.js';
import { progressBar } from '../output.js';
import { withStore } from '../store.js';

/** `pathwise import FILE`. */
export function registerImportCommand(program: Command): void {
  program
    .command('import <file>')
    .description('import a JSONL (Segment messages), CSV or Parquet file through validation and dedup')
    .option('--db <path>', 'database file', SERVER_DEFAULTS.db)
    .option('--project <project>', 'project id or name', 'default')
    .option('--format <format>', 'jsonl|csv|parquet (default: from the file name)')
    .action(async (file: string, opts: { db: string; project: string; format?: ImportFormat }) => {
      await withStore(opts.db, false, async (wh) => {
        const created = await ensureDefaultProject(wh);
        if (created) process.stderr.write(`created project "default"; write key: ${created.writeKey}\n`);
        const project = await findProject(wh, opts.project);
        // Imports obey the project's minimization settings and opt-outs, as HTTP ingest does.
        const policy = await PrivacyPolicy.open(wh);
        const writer = await startIngest(wh, { policy });
        const bar = progressBar('importing');
        try {
          const summary = await importFile(wh, writer, file, {
            projectId: project.projectId,
            ...(opts.format ? { format: opts.format } : {}),
            onProgress: (done, total) => bar.update(done, total),
          });
          bar.stop();
          await writer.close();
          await policy.close();
          // Persons and sessions are kept current here too, as the server does after commits.
          const processed = await processNewEvents(wh);
          const sessions = processed.find((p) => p.projectId === project.projectId)?.sessions ?? null;
          process.stdout.write(`${JSON.stringify({ ...summary, sessions }, null, 2)}\n`);
        } finally {
          bar.stop();
        }
      });
    });
}
