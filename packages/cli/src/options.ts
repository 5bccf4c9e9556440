import { InvalidArgumentError, Option, type Command } from 'commander';
import { TASK_APIS } from './apis/index.js';
import { API_CHOICES, type ConnectionFlags, type FilterFlags } from './config.js';
import { durationOption, MIN_INTERVAL_MS } from './duration.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** A repeatable option whose values must be among `choices`. */
const collectChoice =
  (choices: readonly string[]) =>
  (value: string, previous: string[] = []): string[] => {
    if (!choices.includes(value)) throw new InvalidArgumentError(`expected one of ${choices.join(', ')}`);
    return [...previous, value];
  };

export function parsePositiveNumber(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new InvalidArgumentError('expected a positive number');
  return value;
}

export interface CommonFlags extends ConnectionFlags {
  verbose?: boolean;
}

/** Which APIs to talk to and how (each API's flags from its file in apis/); secrets are read from the environment only. */
export function addConnectionOptions(command: Command): Command {
  command
    .option('--config <file>', 'fleet config: contexts of appliances (env VMTASKS_CONFIG; default $XDG_CONFIG_HOME/vmtasks/config.yaml)')
    .option('--context <name>', "the fleet config's context to use (default its currentContext)")
    .addOption(new Option('--api <api>', 'which API').choices(API_CHOICES).default('all'));
  for (const api of TASK_APIS) for (const option of api.options()) command.addOption(option);
  return command
    .option('--insecure', 'accept any TLS certificate (labs only)')
    .option('--verbose', 'say which APIs are used and how (never secrets)');
}

export function addFilterOptions(command: Command, statuses: readonly string[]): Command {
  const repeatable = (flags: string, description: string, parse: (value: string, previous?: string[]) => string[] = collect): Option =>
    // An empty list by default, without "(default: [])" in the help.
    new Option(flags, description).argParser(parse).default([], 'none');
  return command
    .addOption(repeatable('--task <id>', 'snapservice task id (repeatable)'))
    .addOption(repeatable('--service <name>', 'snapservice service (repeatable; env SNAPSERVICE_SERVICES, comma-separated)'))
    .addOption(repeatable('--status <status>', `snapservice status (repeatable): ${statuses.join(', ')}`, collectChoice(statuses)))
    .addOption(repeatable('--operation <name>', 'snapservice operation (repeatable)'))
    .addOption(repeatable('--user <name>', 'snapservice user (repeatable)'));
}

export function addIntervalOption(command: Command): Command {
  return command.addOption(
    new Option(
      '--interval <duration>',
      `time between polls after a change (at least ${MIN_INTERVAL_MS}ms); backs off to 10× (at most 30s) while nothing changes`,
    )
      .argParser(durationOption(MIN_INTERVAL_MS))
      .default(1000, '1s'),
  );
}

/** The poll intervals for `--interval`: the minimum as given, the maximum 10× it (at most 30 s, never below the minimum). */
export function pollIntervals(interval: number): { minIntervalMs: number; maxIntervalMs: number } {
  return { minIntervalMs: interval, maxIntervalMs: Math.max(interval, Math.min(30_000, interval * 10)) };
}

export type FilteredFlags = CommonFlags & FilterFlags;
