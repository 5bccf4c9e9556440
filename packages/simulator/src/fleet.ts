// A fleet of simulated appliances, kinds alternating (velostrata, snapservice, velostrata, …), and
// the vmtasks fleet config that points the CLI at them (context `simulated`; secrets by variable name).
import { writeFileSync } from 'node:fs';
import { SNAPSERVICE_SERVICES } from './defaults.js';
import { shellQuote } from './shell.js';
import { startSimulator } from './simulator.js';
import type { ApiName, SimulatedSnapservice, SimulatedVelostrata, Simulator, SimulatorOptions } from './types.js';

/** At most this many appliances in one fleet: each is a server with its sockets. */
export const MAX_FLEET_SIZE = 200;

export interface FleetAppliance {
  /** `velostrata-1`, `snapservice-1`, `velostrata-2`, …: unique in the fleet. */
  readonly name: string;
  readonly api: ApiName;
  readonly url: string;
  readonly username: string;
  /** The environment variable the config names for its secret (`VMTASKS_SIM_VELOSTRATA_1_SECRET`). */
  readonly secretEnv: string;
  /** The secret itself: the Velostrata subscription id, the snapservice password. */
  readonly secret: string;
  /** The services its built-in tasks belong to (snapservice only). */
  readonly services?: readonly string[];
  /** The appliance's controls (add tasks, inject faults). */
  readonly controls: SimulatedVelostrata | SimulatedSnapservice;
}

export interface SimulatorFleet extends AsyncDisposable {
  readonly appliances: readonly FleetAppliance[];
  /** Moves every appliance's manual clock forward by `ms`. */
  advance(ms: number): Promise<void>;
  /** The secrets, by the variable names the config uses. */
  env(): Record<string, string>;
  /** `export NAME='secret'` lines for the secrets, each ending in `\n`. */
  exportLines(): string;
  /** A vmtasks fleet config (YAML) for the fleet: context `simulated`, secrets as `{ env: NAME }`, never their values. */
  configYaml(): string;
  /** Writes `configYaml()` to `file` (mode 0600). */
  writeConfig(file: string): void;
  /** Stops every appliance; safe to call twice. */
  close(): Promise<void>;
}

export interface FleetOptions extends Omit<SimulatorOptions, 'ports'> {
  /** How many appliances (1 … MAX_FLEET_SIZE). */
  count: number;
}

const q = (text: string): string => JSON.stringify(text);

/**
 * Starts `count` simulated appliances, kinds alternating. Each pair shares one simulator (its
 * seed the fleet's seed plus its index, so no two pairs have the same tasks); an odd count
 * leaves the last simulator's snapservice unused (it is started and stopped with it).
 */
export async function startSimulatorFleet(options: FleetOptions): Promise<SimulatorFleet> {
  const { count, ...rest } = options;
  if (!Number.isInteger(count) || count < 1 || count > MAX_FLEET_SIZE)
    throw new RangeError(`a fleet has 1 to ${MAX_FLEET_SIZE} appliances, not ${count}`);
  const seed = rest.seed ?? 1;
  const simulators: Simulator[] = [];
  try {
    for (let i = 0; i < Math.ceil(count / 2); i++) simulators.push(await startSimulator({ ...rest, seed: seed + i }));
  } catch (error) {
    await Promise.allSettled(simulators.map((sim) => sim.stop()));
    throw error;
  }
  const appliances: FleetAppliance[] = [];
  for (let i = 0; i < count; i++) {
    const api: ApiName = i % 2 === 0 ? 'velostrata' : 'snapservice';
    const controls = simulators[Math.floor(i / 2)]![api];
    const name = `${api}-${Math.floor(i / 2) + 1}`;
    appliances.push({
      name,
      api,
      url: controls.url,
      username: controls.username,
      secret: controls.password,
      secretEnv: envName(name),
      ...(api === 'snapservice' ? { services: SNAPSERVICE_SERVICES } : {}),
      controls,
    });
  }
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= Promise.allSettled(simulators.map((sim) => sim.stop())).then(() => undefined));
  const env = (): Record<string, string> => Object.fromEntries(appliances.map((a) => [a.secretEnv, a.secret]));
  const configYaml = (): string =>
    [
      '# vmtasks fleet config for simulated appliances (npm run simulate -- --fleet N --write-config FILE).',
      '# The secrets are not in this file: export the variables it names (the simulator prints the lines).',
      'currentContext: simulated',
      'contexts:',
      '  simulated:',
      '    appliances:',
      ...appliances.flatMap((a) => [
        `      - name: ${q(a.name)}`,
        `        api: ${q(a.api)}`,
        `        url: ${q(a.url)}`,
        `        username: ${q(a.username)}`,
        `        secret: { env: ${q(a.secretEnv)} }`,
        ...(a.services ? [`        services: [${a.services.map(q).join(', ')}]`] : []),
      ]),
      '',
    ].join('\n');
  return {
    appliances,
    advance: async (ms) => {
      for (const sim of simulators) await sim.advance(ms);
    },
    env,
    exportLines: () =>
      Object.entries(env())
        .map(([name, value]) => `export ${name}=${shellQuote(value)}\n`)
        .join(''),
    configYaml,
    writeConfig: (file) => writeFileSync(file, configYaml(), { mode: 0o600 }),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** `velostrata-1` → `VMTASKS_SIM_VELOSTRATA_1_SECRET`. */
const envName = (name: string): string => `VMTASKS_SIM_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_SECRET`;
