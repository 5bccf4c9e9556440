// Helpers of the exporter's tests: a simulated fleet as the CLI's TaskApi list, and /metrics read
// back by a parser of the text format (escapes included), so a test sees what a scraper sees.
import { SNAPSERVICE_SERVICES, type Simulator } from '@vmtasks/simulator';
import { toSnapshot as snapserviceSnapshot } from '@vmtasks/snapservice';
import { toSnapshot as velostrataSnapshot } from '@vmtasks/velostrata';
import type { TaskSnapshot } from '@vmtasks/core';
import { resolveConnections } from '../src/config.js';
import { connect, type TaskApi } from '../src/sources.js';

const NO_FILTERS = { task: [], service: [], status: [], operation: [], user: [] };

/** Both appliances of each simulator, named `<name>-velostrata` and `<name>-snapservice`. */
export function fleetApis(fleet: Record<string, Simulator>): TaskApi[] {
  return Object.entries(fleet).flatMap(([name, sim]) =>
    connect(resolveConnections({ api: 'all' }, { ...sim.env(), SNAPSERVICE_SERVICES: SNAPSERVICE_SERVICES.join(',') }, NO_FILTERS)).map(
      (api) => ({ ...api, appliance: `${name}-${api.name}` }),
    ),
  );
}

/** Every task a simulator lists now, in the common model, by appliance name as `fleetApis` names them. */
export function simulatedTasks(name: string, sim: Simulator): Record<string, TaskSnapshot[]> {
  return {
    [`${name}-velostrata`]: sim.velostrata.tasks().map(velostrataSnapshot),
    [`${name}-snapservice`]: sim.snapservice.tasks().map(snapserviceSnapshot),
  };
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition; throws on a line that is not one. */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
    if (!name) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
    let at = name.length;
    const labels: Record<string, string> = {};
    if (line[at] === '{') {
      at++;
      while (line[at] !== '}') {
        const label = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(line.slice(at));
        if (!label) throw new Error(`bad label at ${at}: ${JSON.stringify(line)}`);
        at += label[0].length;
        let value = '';
        for (;;) {
          const char = line[at++];
          if (char === undefined) throw new Error(`unterminated label value: ${JSON.stringify(line)}`);
          if (char === '"') break;
          if (char === '\\') {
            const escaped = line[at++];
            value += escaped === 'n' ? '\n' : escaped;
          } else value += char;
        }
        labels[label[1]!] = value;
        if (line[at] === ',') at++;
      }
      at++;
    }
    const rest = line.slice(at).trim().split(' ');
    if (rest.length < 1 || rest.length > 2) throw new Error(`bad value: ${JSON.stringify(line)}`);
    samples.push({ name, labels, value: Number(rest[0]) });
  }
  return samples;
}

export async function scrape(url: string, accept?: string): Promise<{ contentType: string; text: string; samples: Sample[] }> {
  const response = await fetch(`${url}/metrics`, accept ? { headers: { accept } } : {});
  const text = await response.text();
  if (!response.ok) throw new Error(`GET /metrics: ${response.status}`);
  return { contentType: response.headers.get('content-type') ?? '', text, samples: parseExposition(text.replace(/# EOF\n$/, '')) };
}

/** The sum of `name`'s samples whose labels include `where`. */
export function total(samples: readonly Sample[], name: string, where: Record<string, string> = {}): number {
  return samples
    .filter((sample) => sample.name === name && Object.entries(where).every(([key, value]) => sample.labels[key] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}

/** Polls `check` until it returns without throwing (readiness, not sleeps); its last error after `timeoutMs`, or at once when marked `fatal`. */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 60_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline || (error as { fatal?: unknown }).fatal) throw error;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }
}
