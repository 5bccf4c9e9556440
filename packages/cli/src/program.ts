import { Command } from 'commander';
import { TASK_APIS } from './apis/index.js';
import { cancelCommand } from './commands/cancel.js';
import { serveCommand } from './commands/serve.js';
import { showCommand } from './commands/show.js';
import { simulateCommand } from './commands/simulate.js';
import { tasksCommand } from './commands/tasks.js';
import { waitCommand } from './commands/wait.js';
import { watchCommand } from './commands/watch.js';
import type { Context } from './context.js';
import type { ExitCode } from './exit-codes.js';

const HELP_FOOTER = `
Configuration (flags win over the environment):
${TASK_APIS.flatMap((api) => api.help.map((line) => `  ${line}`)).join('\n')}
  Or a fleet config of named contexts of appliances: --config FILE, VMTASKS_CONFIG, else (when the
  environment configures nothing) $XDG_CONFIG_HOME/vmtasks/config.yaml; --context NAME.
  Secrets are read from the environment (or a fleet config's secret command) only and never printed. An API that is not configured is
  skipped with a note. NO_COLOR turns colour off, FORCE_COLOR on.

Durations (--interval, --timeout): a bare number is seconds; or with units ms, s, m, h, also
combined: 500ms, 90s, 2m, 1h, 1m30s. --interval is at least 100ms.

Exit status: 0 success · 1 a task failed, was cancelled or its outcome is unknown, no API knows
the id (cancel: the task ended otherwise than cancelled) · 2 usage or configuration error, or an
API that cannot cancel · 3 credentials refused · 4 cannot reach an appliance · 5 the appliance's
answer did not match the API · 124 timeout · 130 Ctrl-C · 143 SIGTERM
Text from appliances is shown with control characters made visible (^[ for ESC, <U+202E>).

Try it without an appliance:
  vmtasks simulate --speed 20     # in one terminal; paste the export lines into another
  vmtasks watch`;

/** The `vmtasks` command tree; output goes to the context's streams, and `report` receives the exit status. */
export function buildProgram(context: Context, version: string, statuses: readonly string[], report: (code: ExitCode) => void): Command {
  const { stdout, stderr } = context.io;
  const errorColor = context.colors.stderr;
  const program = new Command('vmtasks')
    .description('List, watch, wait for, show and cancel Velostrata and snapservice tasks.')
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .addHelpText('after', HELP_FOOTER)
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (text) => void stdout.write(text),
      writeErr: (text) => void stderr.write(text),
      outputError: (text, write) => write(errorColor.red(text)),
    })
    .exitOverride();
  for (const command of [
    tasksCommand(context, statuses, report),
    watchCommand(context, statuses, report),
    waitCommand(context, report),
    showCommand(context, report),
    cancelCommand(context, report),
    simulateCommand(context, report),
    serveCommand(context, statuses, report),
  ]) {
    program.addCommand(command.copyInheritedSettings(program).showHelpAfterError(`(run vmtasks ${command.name()} --help for usage)`));
  }
  return program;
}
