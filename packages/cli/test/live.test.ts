// The live view as a person sees it, in-process: `vmtasks watch` and `wait` writing to a
// terminal of a fixed size (a headless xterm applies what they write), on a clock in lockstep
// with the simulator's manual clock. The real pseudo-terminal and Ctrl-C: process.e2e.test.ts.
import { describe, expect, it } from 'vitest';
import { runInProcess, type InProcessRun } from './in-process.js';
import type { LockstepClock } from './lockstep-clock.js';
import { lockstepSimulators } from './lockstep-sim.js';
import { envFor, RETAIN_FINISHED_MS } from './wave.js';

const sims = lockstepSimulators();
const wave = () => sims.start({ seed: 3, retentionMs: RETAIN_FINISHED_MS });
const BOTH_APIS = 2;

/** Every kind of line the live view draws; a row cut by the terminal's own wrapping would match none. */
const LINE_KINDS = [
  /^(Watching tasks|Waiting for task \S+) on velostrata( \(127\.0\.0\.1:\d+\))?( and snapservice| ·|$)/, // title
  /^ {2,3}ID +/, // column headings
  /^[○●◌⊘✗✓] {1,2}\S+ /, // a task
  /^ {2}└ \S/, // the error under a failed task
  /^ {4}\S/, // its second line
  /^… \d+ more: /, // rows that do not fit the height
  /^\d+ tasks? · /, // summary
  /^\d+ (failed|failing|running|cancelling|blocked|pending|cancelled|succeeded)( · |$)/, // summary, continued
  /^! /, // transient trouble
];

function checkScreen(screen: string, width: number): void {
  const lines = screen.split('\n');
  expect(
    lines.filter((line) => LINE_KINDS[0]!.test(line)),
    screen,
  ).toHaveLength(1); // redrawn in place, not appended
  for (const line of lines.filter(Boolean)) {
    expect(line.length, line).toBeLessThanOrEqual(width);
    expect(
      LINE_KINDS.some((kind) => kind.test(line)),
      `unexpected line at ${width} columns: "${line}"\n${screen}`,
    ).toBe(true);
  }
}

/** The screen once every poller waits and the view has drawn what they found. */
async function quietScreen(run: InProcessRun, clock: LockstepClock, loops: number): Promise<string> {
  await clock.until(loops, run.finished);
  // The view draws on the next turn of the event loop after an event (many events, one frame).
  await new Promise((resolve) => setImmediate(resolve));
  await run.screen!.settled();
  return run.screen!.lines().join('\n');
}

/** Moves the clocks a poll at a time until the screen passes `test` (within a simulated hour); returns it. */
async function stepUntil(run: InProcessRun, clock: LockstepClock, loops: number, test: (screen: string) => boolean): Promise<string> {
  const giveUp = clock.now() + 3_600_000;
  for (;;) {
    const screen = await quietScreen(run, clock, loops);
    if (test(screen)) return screen;
    if (clock.now() > giveUp) throw new Error(`the screen never passed the test in a simulated hour; it shows:\n${screen}`);
    await clock.next();
  }
}

describe('live view in a terminal', () => {
  for (const [columns, rows] of [
    [60, 24],
    [120, 40],
  ] as const) {
    it(`fits ${columns}×${rows}, sorted with failures first, and stopping restores the cursor and exits 130`, async () => {
      const { sim, clock } = await wave();
      const run = runInProcess(['watch', '--interval', '5s'], envFor(sim), clock, { columns, rows });
      // A moment with something failed, something running and something done.
      const screen = await stepUntil(run, clock, BOTH_APIS, (text) => /^✗/m.test(text) && /^●/m.test(text) && /\d+ succeeded/.test(text));
      checkScreen(screen, columns);
      const lines = screen.split('\n');
      const firstFailed = lines.findIndex((line) => line.startsWith('✗'));
      const firstRunning = lines.findIndex((line) => line.startsWith('●'));
      expect(firstFailed).toBeLessThan(firstRunning);
      expect(lines[firstFailed + 1]).toMatch(/^ {2}└ \S/);
      expect(screen).toMatch(/^● {1,2}\S+ .* +\d+% {1,2}running +\d+(s|m\d\ds)/m);
      run.stop('SIGINT');
      expect((await run.finished).code).toBe(130);
      const raw = run.screen!.raw();
      expect(raw.lastIndexOf('\u001b[?25h')).toBeGreaterThan(raw.lastIndexOf('\u001b[?25l'));
    });
  }

  it('--until-done leaves the final frame on screen and exits with the outcome; NO_COLOR drops colour but not the view', async () => {
    const { sim, clock } = await wave();
    const run = runInProcess(['watch', '--until-done', '--interval', '30s'], { ...envFor(sim), NO_COLOR: '1' }, clock, {
      columns: 80,
      rows: 50,
    });
    expect((await clock.runUntil(run.finished, BOTH_APIS)).code).toBe(1);
    const screen = run.screen!.lines().join('\n');
    expect(screen).toMatch(/^Watching tasks on velostrata/m); // the view, drawn in place
    expect(screen).not.toMatch(/^[●○◌] /m); // nothing left running or pending
    expect(screen).toMatch(/^✗ velostrata \S+ .*: failed/m); // the closing summary on stderr
    expect(run.screen!.raw()).not.toMatch(/\u001b\[3\dm/);
  });

  it('vmtasks wait shows the task moving, then says it succeeded', async () => {
    const { sim, clock } = await sims.start({ scenario: 'empty' });
    const id = sim.velostrata.addTask({
      steps: [
        { state: 'Running', progress: 10, message: 'Starting' },
        { afterMs: 60_000, state: 'Running', progress: 70, message: 'Replicating disk' },
        { afterMs: 60_000, state: 'Succeeded', progress: 100 },
      ],
    });
    const run = runInProcess(['wait', id, '--interval', '100ms'], sim.env(), clock, { columns: 60, rows: 12 });
    // The task moves on only once its running frame is on screen.
    const running = await quietScreen(run, clock, 1);
    expect(running).toMatch(/^● +task-\d+ .* 10% +running/m);
    checkScreen(running, 60);
    expect(running).toMatch(new RegExp(`^Waiting for task ${id} on velostrata`, 'm'));
    await clock.advance(60_000);
    expect(await quietScreen(run, clock, 1)).toMatch(/^● +task-\d+ .* 70% running/m);
    await clock.advance(60_000);
    expect((await run.finished).code).toBe(0);
    expect(run.screen!.lines().join('\n')).toMatch(new RegExp(`^✓ +${id} .*100% succeeded[\\s\\S]*✓ task ${id} succeeded`, 'm'));
  });
});
