import { Command } from 'commander';
import { registerAttributionCommand } from './commands/attribution.js';
import { registerAuditCommand } from './commands/audit.js';
import { registerClickModelCommand } from './commands/clickmodel.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerDiagnoseCommand } from './commands/diagnose.js';
import { registerExperimentCommand } from './commands/experiment.js';
import { registerExportCommand } from './commands/export.js';
import { registerImportCommand } from './commands/import.js';
import { registerKeyCommand } from './commands/key.js';
import { registerPersonCommand } from './commands/person.js';
import { registerProjectCommand } from './commands/project.js';
import { registerQueryCommand } from './commands/query.js';
import { registerRejectedCommand } from './commands/rejected.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSessionsCommand } from './commands/sessions.js';
import { registerSimCommand } from './commands/sim.js';
import { registerSqlCommand } from './commands/sql.js';
import { registerStatsCommand } from './commands/stats.js';
import { registerUserCommand } from './commands/user.js';
import { reportError } from './output.js';

/** Builds the `pathwise` command line. */
export function buildProgram(): Command {
  const program = new Command('pathwise')
    .description('self-hosted behavior analytics on an embedded DuckDB file')
    .version('0.1.0');
  registerServeCommand(program);
  registerProjectCommand(program);
  registerImportCommand(program);
  registerExportCommand(program);
  registerSqlCommand(program);
  registerQueryCommand(program);
  registerDiagnoseCommand(program);
  registerAttributionCommand(program);
  registerClickModelCommand(program);
  registerRejectedCommand(program);
  registerSessionsCommand(program);
  registerPersonCommand(program);
  registerSimCommand(program);
  registerDemoCommand(program);
  registerExperimentCommand(program);
  registerStatsCommand(program);
  registerUserCommand(program);
  registerKeyCommand(program);
  registerAuditCommand(program);
  return program;
}

/** Runs the CLI with the process arguments. */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (err) {
    reportError(err);
  }
}
