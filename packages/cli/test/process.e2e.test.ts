// What only the real process shows: signals (the exit status they give, and the logout they
// still allow), a reader that goes away (EPIPE), `simulate`, and Ctrl-C in a real
// pseudo-terminal; hostile.e2e shows other exit statuses through the process (0, 1, 5) in a real
// terminal. Everything else about the commands is tested in-process (wait, watch, live).
import { spawn } from 'node:child_process';
import { exportLines, SNAPSERVICE_SERVICES } from '@vmtasks/simulator';
import { describe, expect, it } from 'vitest';
import { isolatedEnv, printed, runVmtasks } from './run.js';
import { BIN, runInTerminal } from './terminal.js';
import { envFor, simulators } from './wave.js';

const sims = simulators();
const fast = ['--interval', '100ms'];

describe('the real process', () => {
  it.each([
    ['watch', 'SIGTERM', 143],
    ['watch', 'SIGINT', 130],
    ['wait', 'SIGINT', 130],
  ] as const)('%s ended by %s exits %i quietly, logged out of the snapservice session it opened', async (command, signal, status) => {
    const sim = await sims.start({ clock: 'manual', scenario: 'empty' });
    const id = sim.snapservice.addTask({ steps: [{ status: 'RUNNING', progress: 30 }] });
    const { SNAPSERVICE_SESSION_ID: _unused, ...env } = sim.env();
    const before = sim.snapservice.sessions();
    const args = command === 'wait' ? ['wait', id] : ['watch'];
    const running = runVmtasks([...args, '--api', 'snapservice', ...fast], {
      ...env,
      SNAPSERVICE_SERVICES: SNAPSERVICE_SERVICES.join(','),
    });
    await printed(running, 'stdout', /running 30%/);
    expect(sim.snapservice.sessions()).toEqual({ created: before.created + 1, live: before.live + 1 });
    running.child.kill(signal);
    const result = await running;
    expect(result.code).toBe(status);
    expect(result.stderr).toBe('');
    expect(sim.snapservice.sessions()).toEqual({ created: before.created + 1, live: before.live });
  });

  it('a reader that goes away (| head) is not an error', async () => {
    const sim = await sims.start({ clock: 'manual', seed: 3 });
    const script = `"${process.execPath}" "${BIN}" watch ${fast.join(' ')} | head -n 2; echo "vmtasks exited $\{PIPESTATUS[0]}" >&2`;
    const child = spawn('bash', ['-c', script], { env: isolatedEnv(envFor(sim)), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const closed = new Promise((resolve) => child.on('close', resolve));
    // The wave moves only when told: each step gives vmtasks more to write, until a write finds
    // the reader gone. However long that takes, the test only waits for it.
    let open = true;
    void closed.then(() => (open = false));
    while (open) {
      await sim.advance(30_000);
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 200))]);
    }
    expect(stdout.trim().split('\n')).toHaveLength(2);
    expect(stderr).toBe('vmtasks exited 0\n');
  });

  it('in a real terminal, Ctrl-C leaves the live view with the cursor restored, exit 130', async () => {
    const sim = await sims.start({ clock: 'manual', seed: 3 });
    const terminal = runInTerminal(['watch', ...fast], { env: envFor(sim), columns: 80, rows: 24 });
    try {
      await terminal.waitFor((text) => /^Watching tasks on velostrata/m.test(text) && /^● /m.test(text), 120_000);
      terminal.type('\u0003');
      expect(await terminal.exited).toBe(130);
      const raw = terminal.raw();
      expect(raw.lastIndexOf('\u001b[?25h')).toBeGreaterThan(raw.lastIndexOf('\u001b[?25l'));
    } finally {
      terminal.kill();
    }
  });
});

describe('vmtasks simulate', () => {
  it('prints export lines that a second vmtasks can use, and stops on Ctrl-C', async () => {
    const simulate = runVmtasks(['simulate', '--speed', '20'], {});
    const exports = await printed(simulate, 'stdout', /SNAPSERVICE_SERVICES=.*\n/);
    const env = Object.fromEntries([...exports.matchAll(/(\w+)='([^']*)'/g)].map((match) => [match[1]!, match[2]!]));
    // Exactly the lines `npm run simulate` prints (one piece of code: the simulator's exportLines).
    expect(exports).toBe(exportLines({ env: () => env }));
    expect(exports.split('\n')).toHaveLength(3);
    // The login `vmtasks` uses (and logs out of); the password is the simulator's own, printed on purpose.
    expect(env['SNAPSERVICE_USERNAME']).toBeTruthy();
    expect(env['SNAPSERVICE_PASSWORD']).toBeTruthy();
    const listed = await runVmtasks(['tasks'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/velostrata/);
    expect(listed.stdout).toMatch(/snapservice/);
    simulate.child.kill('SIGINT');
    expect((await simulate).code).toBe(130);
    await expect(fetch(`${env['VELOSTRATA_URL']}/tasks`)).rejects.toThrow();
  });
});
