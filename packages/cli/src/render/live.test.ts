import { describe, expect, it } from 'vitest';
import stripAnsi from 'strip-ansi';
import { TransportError } from '@vmtasks/core';
import type { TaskSnapshot } from '@vmtasks/core';
import { TaskBoard } from '../board.js';
import { createColors } from './colors.js';
import { stringWidth } from './format.js';
import { renderLiveFrame } from './live.js';

const trouble = (message: string): TransportError =>
  new TransportError(message, { operation: 'listTasks', method: 'GET', url: 'http://127.0.0.1/', attempts: 3 });
const now = Date.parse('2026-11-23T21:10:00Z');
const task = (over: Partial<TaskSnapshot> & Pick<TaskSnapshot, 'id' | 'state'>): TaskSnapshot => ({
  api: 'velostrata',
  kind: 'FullMigration',
  target: 'vm-web-01',
  startedAt: '2026-11-23T21:05:00Z',
  ...over,
});

function wave(): TaskBoard {
  const board = new TaskBoard(['velostrata', 'snapservice']);
  const snapshots: TaskSnapshot[] = [
    task({ id: 'task-0007', state: 'succeeded', progress: 1, endedAt: '2026-11-23T21:09:12Z', target: 'vm-db-01' }),
    task({ id: 'task-0003', state: 'running', progress: 0.42, message: 'Replicating disk 2 of 4' }),
    task({
      id: 'task-0009',
      state: 'failed',
      progress: 0.3,
      endedAt: '2026-11-23T21:08:00Z',
      error: 'Disk replication failed: quota CPUS exceeded in europe-west1',
    }),
    task({ api: 'snapservice', id: 'snap-42', kind: 'snapshot', target: 'pg-finance-nightly', state: 'pending' }),
    task({ api: 'snapservice', id: 'snap-43', kind: 'snapshot', target: 'pg-hr', state: 'blocked', progress: undefined }),
  ];
  for (const snapshot of snapshots) board.apply(snapshot.api, { type: 'appeared', snapshot, item: undefined }, now);
  board.apply('velostrata', { type: 'polled', count: 3, at: '' }, now);
  board.apply('snapservice', { type: 'polled', count: 2, at: '' }, now);
  return board;
}

const frame = (board: TaskBoard, width: number, height = 30, color = false): string[] =>
  renderLiveFrame(board, {
    width,
    height,
    now,
    colors: createColors(color),
    title: [
      'Watching tasks on velostrata (127.0.0.1:8443) and snapservice (127.0.0.1:9443) · Ctrl-C to stop',
      'Watching tasks on velostrata and snapservice',
    ],
  });

describe('live view frame', () => {
  for (const width of [60, 80, 120, 200]) {
    it(`fits ${width} columns, coloured or not`, () => {
      for (const color of [false, true]) {
        const lines = frame(wave(), width, 30, color);
        for (const line of lines) expect(stringWidth(line), stripAnsi(line)).toBeLessThanOrEqual(width);
      }
      const text = frame(wave(), width).join('\n');
      // What must survive any width: every id, every state, percentages, the failure's reason, the summary.
      for (const word of [
        'task-0003',
        'task-0007',
        'task-0009',
        'snap-42',
        'snap-43',
        'running',
        'failed',
        'succeeded',
        'pending',
        ' 42%',
        '100%',
      ]) {
        expect(text).toContain(word);
      }
      expect(text).toMatch(/└ Disk replication failed/);
      expect(text).toMatch(/^5 tasks · 1 failed · 1 running · 1 blocked · 1 pending( ·|\n)/m);
      expect(text).toMatch(/1 succeeded · 21:10:00Z$/);
    });
  }

  it('puts what needs attention first and the error under its task', () => {
    const lines = frame(wave(), 80);
    const order = ['task-0009', 'task-0003', 'snap-43', 'snap-42', 'task-0007'].map((id) => lines.findIndex((l) => l.includes(id)));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(lines[order[0]! + 1]).toMatch(/^ {2}└ Disk replication failed/);
  });

  it('shows the 60-column frame a person sees', () => {
    expect(frame(wave(), 60).join('\n')).toMatchInlineSnapshot(`
      "Watching tasks on velostrata and snapservice
        ID        TARGET          PROGRESS      STATE      ELAPSED
      ✗ task-0009 vm-web-01       ██░░░░░░  30% failed       3m00s
        └ Disk replication failed: quota CPUS exceeded in
          europe-west1
      ● task-0003 vm-web-01       ███░░░░░  42% running      5m00s
      ◌ snap-43   pg-hr           ░░░░░░░░    – blocked      5m00s
      ○ snap-42   pg-finance-nig… ░░░░░░░░    – pending      5m00s
      ✓ task-0007 vm-db-01        ████████ 100% succeeded    4m12s

      5 tasks · 1 failed · 1 running · 1 blocked · 1 pending
      1 succeeded · 21:10:00Z"
    `);
  });

  it('shows the 120-column frame a person sees', () => {
    expect(frame(wave(), 120).join('\n')).toMatchInlineSnapshot(`
      "Watching tasks on velostrata (127.0.0.1:8443) and snapservice (127.0.0.1:9443) · Ctrl-C to stop
         ID         API          KIND           TARGET              PROGRESS                 STATE       ELAPSED  MESSAGE
      ✗  task-0009  velostrata   FullMigration  vm-web-01           █████░░░░░░░░░░░░   30%  failed        3m00s
        └ Disk replication failed: quota CPUS exceeded in europe-west1
      ●  task-0003  velostrata   FullMigration  vm-web-01           ███████░░░░░░░░░░   42%  running       5m00s  Replicating…
      ◌  snap-43    snapservice  snapshot       pg-hr               ░░░░░░░░░░░░░░░░░     –  blocked       5m00s
      ○  snap-42    snapservice  snapshot       pg-finance-nightly  ░░░░░░░░░░░░░░░░░     –  pending       5m00s
      ✓  task-0007  velostrata   FullMigration  vm-db-01            █████████████████  100%  succeeded     4m12s

      5 tasks · 1 failed · 1 running · 1 blocked · 1 pending · 1 succeeded · 21:10:00Z"
    `);
  });

  it('sums up the rows that do not fit the terminal height', () => {
    const lines = frame(wave(), 80, 8);
    expect(lines.length).toBeLessThanOrEqual(7);
    expect(lines.join('\n')).toMatch(/… \d more: /);
    expect(lines.at(-1)).toContain('5 tasks');
  });

  it('says it is waiting before the first answer, and shows transient trouble as a note', () => {
    const board = new TaskBoard(['velostrata']);
    expect(frame(board, 60).join('\n')).toContain('Waiting for velostrata…');
    board.apply(
      'velostrata',
      { type: 'transient-failure', error: trouble('HTTP 503 SERVICE_UNAVAILABLE'), failures: 2, retryInMs: 4000 },
      now,
    );
    expect(frame(board, 80).join('\n')).toContain('! velostrata: HTTP 503 SERVICE_UNAVAILABLE · retrying in 4s (failure 2)');
    board.apply('velostrata', { type: 'polled', count: 0, at: '' }, now);
    expect(frame(board, 60).join('\n')).not.toContain('!');
    expect(frame(board, 60).join('\n')).toContain('No tasks.');
  });

  it('shows "stalled since" for an appliance whose polls stalled, until it recovers', () => {
    const board = wave();
    const since = '2026-11-23T21:08:30.000Z';
    board.apply('velostrata', { type: 'stalled', since, lastError: trouble('connect ECONNREFUSED 10.20.30.40:443') }, now);
    const shown = frame(board, 80).join('\n');
    expect(shown).toContain('! velostrata: stalled since 21:08:30Z · connect ECONNREFUSED 10.20.30.40:443');
    expect(shown).not.toContain('snapservice: stalled');
    board.apply('velostrata', { type: 'recovered', since, at: '2026-11-23T21:10:00.000Z' }, now);
    expect(frame(board, 80).join('\n')).not.toContain('stalled');
  });

  it.each([60, 80])('wraps a long transient-trouble note at %i columns instead of cutting its reason', (width) => {
    const board = wave();
    const reason =
      'getActiveTasks: GET https://mgr.example.com/velostrata/api/v42/tasks failed after 3 attempts: connect ECONNREFUSED 10.20.30.40:443';
    board.apply('velostrata', { type: 'transient-failure', error: trouble(reason), failures: 1, retryInMs: 2000 }, now);
    const lines = frame(board, width, 24);
    for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(width);
    const start = lines.findIndex((line) => line.startsWith('! '));
    const note = lines
      .slice(start)
      .map((line) => line.trim())
      .join(' ');
    expect(note).toBe(`! velostrata: ${reason} · retrying in 2s (failure 1)`);
  });

  it('a runaway server message in a note still leaves a frame that fits the screen', () => {
    const board = wave();
    board.apply('velostrata', { type: 'transient-failure', error: trouble('overloaded '.repeat(2000)), failures: 1, retryInMs: 0 }, now);
    const lines = frame(board, 80, 24);
    expect(lines.length).toBeLessThanOrEqual(23);
    expect(lines.filter((line) => /^ {2}overloaded/.test(line)).length).toBeLessThanOrEqual(7);
  });
});
