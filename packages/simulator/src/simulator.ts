// startSimulator(): both appliances on 127.0.0.1, one clock, one seed.
import { manualClock, scaledRealClock, type Clock } from './clock.js';
import { DEFAULTS } from './defaults.js';
import { HOST, serveAppliance, type ApplianceServer } from './http-server.js';
import { seededRandom } from './random.js';
import { SnapserviceAppliance } from './snapservice-appliance.js';
import { snapserviceWave } from './snapservice-wave.js';
import type { ApplianceControls, Simulator, SimulatorOptions } from './types.js';
import { VelostrataAppliance } from './velostrata-appliance.js';
import { velostrataWave } from './velostrata-wave.js';

function clockOf(options: SimulatorOptions): Clock {
  const start = options.startTime === undefined ? undefined : new Date(options.startTime).getTime();
  if (start !== undefined && Number.isNaN(start)) throw new RangeError(`startTime is not a date: ${String(options.startTime)}`);
  if (options.clock === 'manual') return manualClock(start ?? Date.parse(DEFAULTS.manualStartTime));
  return scaledRealClock(start ?? Date.now(), options.clock?.speed ?? 1);
}

function count(name: string, value: number | undefined, fallback: number): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${name} must be an integer ≥ 0, not ${n}`);
  return n;
}

function controls(server: ApplianceServer): ApplianceControls {
  return {
    injectFault: (fault, times) => server.faults.add(fault, times),
    clearFaults: () => server.faults.clear(),
    get requests() {
      return server.requests;
    },
    get bytesSent() {
      return server.bytesSent;
    },
  };
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const seed = options.seed ?? DEFAULTS.seed;
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, not ${seed}`);
  const clock = clockOf(options);
  const retentionMs = count('retentionMs', options.retentionMs, DEFAULTS.retentionMs);
  // One generator per appliance, so that adding tasks to one never changes the other.
  const velostrataRandom = seededRandom(seed);
  const snapserviceRandom = seededRandom(seed ^ 0x5eed);

  const velostrata = new VelostrataAppliance(
    clock,
    DEFAULTS.velostrataUsername,
    options.credentials?.velostrataPassword ?? DEFAULTS.velostrataPassword,
    retentionMs,
  );
  const snapservice = new SnapserviceAppliance(
    clock,
    snapserviceRandom,
    options.credentials?.snapserviceSessionId,
    options.credentials?.samlToken ?? DEFAULTS.samlToken,
    options.sessionTtlMs ?? Number.POSITIVE_INFINITY,
    {
      username: options.credentials?.snapserviceUsername ?? DEFAULTS.snapserviceUsername,
      password: options.credentials?.snapservicePassword ?? DEFAULTS.snapservicePassword,
    },
  );
  if ((options.scenario ?? 'wave') === 'wave') {
    velostrataWave(velostrata, velostrataRandom, count('size.vms', options.size?.vms, DEFAULTS.vms), clock.now());
    snapserviceWave(snapservice, snapserviceRandom, count('size.snapshots', options.size?.snapshots, DEFAULTS.snapshots), clock.now());
  } else if (options.scenario !== 'empty') {
    throw new RangeError(`unknown scenario ${String(options.scenario)}: use 'wave' or 'empty'`);
  }

  const velostrataServer = await serveAppliance(velostrata, options.ports?.velostrata ?? 0);
  const snapserviceServer = await serveAppliance(snapservice, options.ports?.snapservice ?? 0).catch(async (error: unknown) => {
    await velostrataServer.close();
    throw error;
  });
  const velostrataUrl = `http://${HOST}:${velostrataServer.port}/velostrata/api/v${DEFAULTS.velostrataVersion}`;
  const snapserviceUrl = `http://${HOST}:${snapserviceServer.port}`;

  const stop = async (): Promise<void> => {
    await Promise.all([velostrataServer.close(), snapserviceServer.close()]);
  };
  return {
    seed,
    velostrata: Object.assign(controls(velostrataServer), {
      url: velostrataUrl,
      username: velostrata.username,
      password: velostrata.password,
      addTask: (script: Parameters<VelostrataAppliance['addTask']>[0]) => velostrata.addTask(script),
      tasks: () => velostrata.tasks(),
    }),
    snapservice: Object.defineProperties(
      Object.assign(controls(snapserviceServer), {
        url: snapserviceUrl,
        authorization: snapservice.authorization,
        username: snapservice.login.username,
        password: snapservice.login.password,
        sessions: () => snapservice.sessionCounts(),
        addTask: (script: Parameters<SnapserviceAppliance['addTask']>[0]) => snapservice.addTask(script),
        tasks: () => snapservice.tasks(),
        expireSession: () => snapservice.expireSession(),
        expireSessionAfter: (requests: number) => snapservice.expireSessionAfter(requests),
        renewSession: () => snapservice.renewSession(),
      }),
      { sessionId: { get: () => snapservice.sessionId, enumerable: true } },
    ) as Simulator['snapservice'],
    now: () => new Date(clock.now()),
    async advance(ms) {
      clock.advance(ms);
    },
    env: () => ({
      VELOSTRATA_URL: velostrataUrl,
      VELOSTRATA_USERNAME: velostrata.username,
      VELOSTRATA_PASSWORD: velostrata.password,
      SNAPSERVICE_URL: snapserviceUrl,
      SNAPSERVICE_SESSION_ID: snapservice.sessionId,
      SNAPSERVICE_USERNAME: snapservice.login.username,
      SNAPSERVICE_PASSWORD: snapservice.login.password,
    }),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
