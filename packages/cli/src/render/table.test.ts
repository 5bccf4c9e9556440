import type { TaskSnapshot } from '@vmtasks/core';
import { describe, expect, it } from 'vitest';
import { createColors } from './colors.js';
import { stringWidth } from './format.js';
import { renderTaskTable, taskTableStream } from './table.js';

const now = Date.parse('2026-11-23T21:10:00Z');
const snapshotId = '768d2928-cf5a-4c1e-9d2b-0a1b2c3d4e5f:com.vmware.snapservice.protection_group';
const tasks: TaskSnapshot[] = [
  {
    api: 'snapservice',
    id: snapshotId,
    kind: 'snapshot',
    target: 'pg-finance',
    state: 'running',
    progress: 0.5,
    startedAt: '2026-11-23T21:05:00Z',
  },
  {
    api: 'velostrata',
    id: 'task-1002',
    kind: 'FullMigration',
    target: 'vm-web-01',
    state: 'running',
    progress: 0.3,
    startedAt: '2026-11-23T21:06:00Z',
  },
];
const table = (width: number): string[] =>
  renderTaskTable(
    tasks.map((snapshot) => ({ snapshot, gone: false })),
    { width, now, colors: createColors(false), showApi: true },
  );

describe('the tasks table', () => {
  it('shows whole ids when the terminal has room for them', () => {
    const lines = table(170);
    expect(lines.some((line) => line.includes(snapshotId))).toBe(true);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(170);
  });

  it('on a narrow terminal cuts the end of an id, so that what shows is a prefix `wait` takes', () => {
    const lines = table(80);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(80);
    const shown = /^● (\S+)… snapservice/.exec(lines.find((line) => line.includes('snapservice'))!)?.[1];
    expect(shown?.length).toBeGreaterThanOrEqual(12);
    expect(snapshotId.startsWith(shown!)).toBe(true);
  });
});

describe('taskTableStream (tasks --all)', () => {
  const row = (id: string): { snapshot: TaskSnapshot; gone: boolean } => ({
    snapshot: { api: 'velostrata', id, kind: 'FullMigration', target: 'vm-1', state: 'succeeded', progress: 1 },
    gone: false,
  });
  const colors = createColors(false);

  it('in a pipe, a later page widens a column its values need: nothing is cut', () => {
    const table = taskTableStream({ now, colors, showApi: false });
    const first = table.page([row('task-1'), row('task-2')]);
    expect(first[0]).toMatch(/^ +ID +KIND/);
    const later = table.page([row(snapshotId)]);
    expect(later).toHaveLength(1);
    expect(later[0]).toContain(` ${snapshotId} `);
  });

  it('on a terminal, rows stay within its width when a later page needs more room', () => {
    const table = taskTableStream({ width: 60, now, colors, showApi: false });
    const lines = [...table.page([row('task-1')]), ...table.page([row(snapshotId), row('task-3')])];
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(60);
    expect(lines[2]).toContain('768d2928');
  });
});
