// The live view as a person sees it: `vmtasks watch` in a real pseudo-terminal of a fixed size,
// its bytes fed to a headless xterm, the resulting screen asserted.
import { describe, expect, it } from 'vitest';
import { runInTerminal } from './terminal.js';
import { simulators } from './wave.js';

const sims = simulators();
const wave = (speed: number): Promise<Record<string, string>> => sims.wave(speed);

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

describe('live view in a terminal', () => {
  for (const [columns, rows] of [
    [60, 24],
    [120, 40],
  ] as const) {
    it(`fits ${columns}×${rows}, sorted with failures first, and Ctrl-C restores the cursor and exits 130`, async () => {
      const env = await wave(50);
      const terminal = runInTerminal(['watch', '--interval', '100ms'], { env, columns, rows });
      try {
        // A moment with something failed, something running and something done.
        const screen = await terminal.waitFor((text) => /^✗/m.test(text) && /^●/m.test(text) && /\d+ succeeded/.test(text));
        checkScreen(screen, columns);
        const lines = screen.split('\n');
        const firstFailed = lines.findIndex((line) => line.startsWith('✗'));
        const firstRunning = lines.findIndex((line) => line.startsWith('●'));
        expect(firstFailed).toBeLessThan(firstRunning);
        expect(lines[firstFailed + 1]).toMatch(/^ {2}└ \S/);
        expect(screen).toMatch(/^● {1,2}\S+ .* +\d+% {1,2}running +\d+(s|m\d\ds)/m);
        terminal.type('\u0003');
        expect(await terminal.exited).toBe(130);
        const raw = terminal.raw();
        expect(raw.lastIndexOf('\u001b[?25h')).toBeGreaterThan(raw.lastIndexOf('\u001b[?25l'));
      } finally {
        terminal.kill();
      }
    });
  }

  it('--until-done leaves the final frame on screen and exits with the outcome; NO_COLOR drops colour but not the view', async () => {
    const env = await wave(300);
    const terminal = runInTerminal(['watch', '--until-done', '--interval', '100ms'], {
      env: { ...env, NO_COLOR: '1' },
      columns: 80,
      rows: 50,
    });
    try {
      expect(await terminal.exited).toBe(1);
      const screen = terminal.screen().join('\n');
      expect(screen).not.toMatch(/^[●○◌] /m); // nothing left running or pending
      expect(screen).toMatch(/^✗ velostrata \S+ .*: failed/m); // the closing summary on stderr
      expect(terminal.raw()).not.toMatch(/\u001b\[3\dm/);
    } finally {
      terminal.kill();
    }
  });

  it('vmtasks wait shows the task moving, then says it succeeded', async () => {
    // A manual clock: the task moves on only once its running frame has been seen.
    const sim = await sims.start({ clock: 'manual', scenario: 'empty' });
    const id = sim.velostrata.addTask({
      steps: [
        { state: 'Running', progress: 10, message: 'Starting' },
        { afterMs: 60_000, state: 'Running', progress: 70, message: 'Replicating disk' },
        { afterMs: 60_000, state: 'Succeeded', progress: 100 },
      ],
    });
    const terminal = runInTerminal(['wait', id, '--interval', '100ms'], { env: sim.env(), columns: 60, rows: 12 });
    try {
      const running = await terminal.waitFor((text) => /^● +task-\d+ .* running/m.test(text));
      checkScreen(running, 60);
      expect(running).toMatch(new RegExp(`^Waiting for task ${id} on velostrata`, 'm'));
      await sim.advance(60_000);
      await terminal.waitFor((text) => /^● +task-\d+ .* 70% running/m.test(text));
      await sim.advance(60_000);
      expect(await terminal.exited).toBe(0);
      expect(terminal.screen().join('\n')).toMatch(new RegExp(`^✓ +${id} .*100% succeeded[\\s\\S]*✓ task ${id} succeeded`, 'm'));
    } finally {
      terminal.kill();
    }
  });
});
