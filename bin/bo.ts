/**
 * `estock-hil bo`: every action of the back office from the command line,
 * on the state folder serve uses, with `--json` for scripts. docs/bo-cli.md
 * is the user's guide; bo-run.ts says how a command runs and its exit codes.
 */
import type { Command, CommanderError } from 'commander';
import { registerAdminCommands } from './bo-admin.ts';
import { registerExchangeCommands } from './bo-exchange.ts';
import { EXIT_BROKEN, exitQuietlyOnClosedStdout } from './bo-run.ts';

/** Adds the `bo` command and its subcommands to the program. */
export function registerBo(program: Command): void {
  const bo = program.command('bo')
    .description('act as the back office: settings, profiles, licence, devices, catalog, export, import');
  registerAdminCommands(bo);
  registerExchangeCommands(bo);
  reportUsageErrors(bo, 'bo', process.argv.includes('--json'));
  bo.hook('preAction', exitQuietlyOnClosedStdout);
}

/**
 * A usage error (an unknown flag or command, a missing argument or option,
 * a value not among the choices) exits with 2, as a wrong value does. With
 * --json, commander's text and help go nowhere: stdout gets the one JSON
 * object `{ command, error: { code: 'USAGE', message } }` and stderr the
 * message alone. Set on `command` and each of its subcommands, with its path.
 */
function reportUsageErrors(command: Command, path: string, json: boolean): void {
  command.exitOverride((error: CommanderError) => {
    if (error.exitCode === 0) process.exit(0);
    if (json) {
      const message = error.message.replace(/^error: /, '').replaceAll('\n', ' ');
      process.stdout.write(`${JSON.stringify({ command: path, error: { code: 'USAGE', message } })}\n`);
      process.stderr.write(`estock-hil ${path}: ${message}\n`);
    }
    process.exit(EXIT_BROKEN);
  });
  if (json) command.configureOutput({ writeErr: () => {}, outputError: () => {} });
  for (const sub of command.commands) reportUsageErrors(sub, `${path} ${sub.name()}`, json);
}
