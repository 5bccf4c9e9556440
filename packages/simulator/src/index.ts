// @vmtasks/simulator: a Velostrata Manager and a snapservice appliance whose tasks move, on 127.0.0.1.
//
//   const sim = await startSimulator({ clock: 'manual', seed: 7 });
//   await sim.advance(60_000);
//   … createVelostrataClient({ baseUrl: sim.velostrata.url, password: sim.velostrata.password }) …
//   await sim.stop();
export { startSimulator } from './simulator.js';
export { startSimulatorFleet, MAX_FLEET_SIZE } from './fleet.js';
export type { FleetAppliance, FleetOptions, SimulatorFleet } from './fleet.js';
export { exportLines, shellQuote } from './shell.js';
export { DEFAULTS, SNAPSERVICE_SERVICES, PROTECTION_GROUP_SERVICE } from './defaults.js';
export type {
  ApiName,
  ScenarioName,
  SimulatorOptions,
  Simulator,
  SimulatedVelostrata,
  SimulatedSnapservice,
  ApplianceControls,
  Fault,
  RemovedStep,
  SnapserviceStep,
  SnapserviceStateStep,
  SnapserviceTaskScript,
  VelostrataStep,
  VelostrataStateStep,
  VelostrataTaskScript,
} from './types.js';
