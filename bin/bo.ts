/**
 * `estock-hil bo`: every action of the back office from the command line,
 * on the state folder serve uses, with `--json` for scripts. docs/bo-cli.md
 * is the user's guide; bo-run.ts says how a command runs and its exit codes.
 */
import type { Command } from 'commander';
import { registerAdminCommands } from './bo-admin.ts';
import { registerExchangeCommands } from './bo-exchange.ts';
import { EXIT_BROKEN } from './bo-run.ts';

/** Adds the `bo` command and its subcommands to the program. */
export function registerBo(program: Command): void {
  const bo = program.command('bo')
    .description('act as the back office: settings, profiles, licence, devices, catalog, export, import')
    // A usage error (an unknown flag, a missing argument) exits with 2, as a wrong value does;
    // commander has printed it already. Its subcommands inherit this.
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : EXIT_BROKEN));
  registerAdminCommands(bo);
  registerExchangeCommands(bo);
}
