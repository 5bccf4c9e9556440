#!/usr/bin/env node
// `npm run simulate`: both appliances in the foreground; prints their URLs and credentials as shell
// `export` lines (the names the contract tests and the CLI read). Ctrl-C or SIGTERM stops them.
import { parseArgs } from 'node:util';
import path from 'node:path';
import { exportLines, shellQuote } from './shell.js';
import { MAX_FLEET_SIZE, startSimulatorFleet } from './fleet.js';
import { startSimulator } from './simulator.js';
import type { ScenarioName, SimulatorOptions } from './types.js';

const USAGE = `usage: vmtasks-simulator [--speed N] [--seed N] [--scenario wave|empty] [--vms N] [--snapshots N]
                         [--velostrata-port N] [--snapservice-port N] [--retention-ms N]
                         [--fleet N [--write-config FILE]]`;

function fail(message: string): never {
  process.stderr.write(`vmtasks-simulator: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function number(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) fail(`--${name} needs a number, not "${text}"`);
  return value;
}

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      speed: { type: 'string' },
      seed: { type: 'string' },
      scenario: { type: 'string' },
      vms: { type: 'string' },
      snapshots: { type: 'string' },
      'velostrata-port': { type: 'string' },
      'snapservice-port': { type: 'string' },
      'retention-ms': { type: 'string' },
      fleet: { type: 'string' },
      'write-config': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
}
try {
  parsed = parse();
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const { values } = parsed;
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const scenario = values.scenario ?? 'wave';
if (scenario !== 'wave' && scenario !== 'empty') fail(`--scenario is wave or empty, not "${scenario}"`);

const options: SimulatorOptions = {
  clock: { speed: number('speed', values.speed) ?? 1 },
  seed: number('seed', values.seed) ?? 1,
  scenario: scenario as ScenarioName,
  size: { vms: number('vms', values.vms), snapshots: number('snapshots', values.snapshots) },
  ports: {
    velostrata: number('velostrata-port', values['velostrata-port']),
    snapservice: number('snapservice-port', values['snapservice-port']),
  },
  retentionMs: number('retention-ms', values['retention-ms']),
};

const fleetText = values.fleet;
const fleetSize = number('fleet', fleetText);
if (fleetSize !== undefined && (!Number.isInteger(fleetSize) || fleetSize < 1 || fleetSize > MAX_FLEET_SIZE))
  fail(`--fleet needs a whole number of appliances from 1 to ${MAX_FLEET_SIZE}, not "${fleetText}"`);
if (values['write-config'] !== undefined && fleetSize === undefined)
  fail('--write-config writes the config of a fleet: pass --fleet N too');
if (fleetSize !== undefined && (options.ports?.velostrata !== undefined || options.ports?.snapservice !== undefined))
  fail('--velostrata-port and --snapservice-port are for one pair; a fleet takes free ports');

function onStop(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (): void => {
    if (stopping) return;
    stopping = true;
    void stop().then(() => {
      process.stderr.write('simulator stopped\n');
      process.exit(0);
    });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

if (fleetSize !== undefined) {
  try {
    const { ports: _ports, ...fleetOptions } = options;
    const fleet = await startSimulatorFleet({ ...fleetOptions, count: fleetSize });
    onStop(fleet.close);
    const file = values['write-config'];
    if (file !== undefined) fleet.writeConfig(file);
    // The secrets as export lines (never in the file), then the config to use.
    process.stdout.write(fleet.exportLines());
    if (file !== undefined) process.stdout.write(`export VMTASKS_CONFIG=${shellQuote(path.resolve(file))}\n`);
    process.stderr.write(
      `# ${fleetSize} simulated appliances running (${fleet.appliances.map((a) => a.name).join(', ')}); Ctrl-C stops them\n`,
    );
  } catch (error) {
    process.stderr.write(`vmtasks-simulator: could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
} else
  try {
    const sim = await startSimulator(options);
    onStop(() => sim.stop());
    process.stdout.write(exportLines(sim));
    process.stderr.write(
      `# simulated appliances running (seed ${sim.seed}, speed ${String((options.clock as { speed: number }).speed)}x); Ctrl-C stops them\n`,
    );
  } catch (error) {
    process.stderr.write(`vmtasks-simulator: could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
