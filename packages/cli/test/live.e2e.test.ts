// The live view as a person sees it: `vmtasks watch` in a real pseudo-terminal of a fixed size,
// its bytes fed to a headless xterm, the resulting screen asserted.
import { startSimulator, SNAPSERVICE_SERVICES, type Simulator } from '@vmtasks/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { runInTerminal } from './terminal.js';

let sim: Simulator | undefined;
afterEach(() => sim?.stop());

async function wave(speed: number): Promise<Record<string, string>> {
  sim = await startSimulator({ clock: { speed }, seed: 3 });
  return { ...sim.env(), SNAPSERVICE_SERVICES: SNAPSERVICE_SERVICES.join(',') };
}

/** Every kind of line the live view draws; a row cut by the terminal's own wrapping would match none. */
const LINE_KINDS = [
  /^Watching velostrata \(127\.0\.0\.1:\d+\) and snapservice/, // title
  /^ {2}ID +/, // column headings
  /^[○●◌⊘✗✓] \S+ /, // a task
  /^ {2}└ \S/, // the error under a failed task
  /^ {4}\S/, // its second line
  /^… \d+ more: /, // rows that do not fit the height
  /^\d+ tasks? · /, // summary
  /^\d+ (failed|failing|running|cancelling|blocked|pending|cancelled|succeeded)( · |$)/, // summary, continued
  /^! /, // transient trouble
];

function checkScreen(screen: string, width: number): void {
  const lines = screen.split('\n');
  expect(lines.filter((line) => line.startsWith('Watching ')), screen).toHaveLength(1); // redrawn in place, not appended
  for (const line of lines.filter(Boolean)) {
    expect(line.length, line).toBeLessThanOrEqual(width);
    expect(LINE_KINDS.some((kind) => kind.test(line)), `unexpected line at ${width} columns: "${line}"\n${screen}`).toBe(true);
  }
}

describe('live view in a terminal', () => {
  for (const [columns, rows] of [
    [60, 24],
    [120, 40],
  ] as const) {
    it(`fits ${columns}×${rows}, sorted with failures first, and Ctrl-C restores the cursor and exits 130`, async () => {
      const env = await wave(100);
      const terminal = runInTerminal(['watch', '--interval', '100'], { env, columns, rows });
      try {
        // A moment with something failed, something running and something done.
        const screen = await terminal.waitFor((text) => /^✗ /m.test(text) && /^● /m.test(text) && /\d+ succeeded/.test(text));
        checkScreen(screen, columns);
        const lines = screen.split('\n');
        const firstFailed = lines.findIndex((line) => line.startsWith('✗ '));
        const firstRunning = lines.findIndex((line) => line.startsWith('● '));
        expect(firstFailed).toBeLessThan(firstRunning);
        expect(lines[firstFailed + 1]).toMatch(/^ {2}└ \S/);
        expect(screen).toMatch(/^[●] \S+ .* +\d+% running +\d+(s|m\d\ds)/m);
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
    const terminal = runInTerminal(['watch', '--until-done', '--interval', '100'], { env: { ...env, NO_COLOR: '1' }, columns: 80, rows: 50 });
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
});
