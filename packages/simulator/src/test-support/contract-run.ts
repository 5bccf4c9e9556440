// The contract suites of both clients with the simulator as the "real server": the path a real
// appliance takes (`VELOSTRATA_URL=… SNAPSERVICE_URL=… npm run test:contract`), where Prism proxies
// to the server and validates every answer. Exits with the first failing suite's code.
import { spawn } from 'node:child_process';
import { startSimulator } from '../simulator.js';

const SUITES = ['@vmtasks/velostrata', '@vmtasks/snapservice'];
const root = new URL('../../../../', import.meta.url);

// A manual clock part-way into the wave: every kind of task is listed, and the run repeats exactly.
const sim = await startSimulator({ clock: 'manual', seed: 1 });
await sim.advance(6 * 60_000);

function run(workspace: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'test:contract', `--workspace=${workspace}`], {
      cwd: root,
      env: { ...process.env, ...sim.env() },
      stdio: 'inherit',
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

let exitCode = 0;
try {
  for (const suite of SUITES) {
    console.log(`\n── ${suite} contract suite, simulator as the real server ──`);
    const code = await run(suite);
    if (code !== 0 && exitCode === 0) exitCode = code;
  }
} finally {
  await sim.stop();
}
process.exit(exitCode);
