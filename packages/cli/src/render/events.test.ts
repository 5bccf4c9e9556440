import { describe, expect, it } from 'vitest';
import { TransportError } from '@vmtasks/core';
import type { TaskSnapshot } from '@vmtasks/core';
import { createColors } from './colors.js';
import { eventLine, eventRecord } from './events.js';
import { renderTaskTable } from './table.js';

const trouble = (message: string): TransportError =>
  new TransportError(message, { operation: 'listTasks', method: 'GET', url: 'http://127.0.0.1/', attempts: 3 });
const now = Date.parse('2026-11-23T21:10:00Z');
const plain = createColors(false);
const running: TaskSnapshot = {
  api: 'velostrata',
  id: 'task-1003',
  kind: 'FullMigration',
  target: 'vm-3',
  state: 'running',
  progress: 0.42,
  message: 'Replicating disk 2 of 4',
  startedAt: '2026-11-23T21:05:00Z',
};
const failed: TaskSnapshot = { ...running, state: 'failed', endedAt: '2026-11-23T21:08:00Z', error: 'quota exceeded', message: undefined };

describe('plain lines (logs, pipes)', () => {
  it('one line per change, no escape codes', () => {
    const lines = [
      eventLine('velostrata', { type: 'appeared', snapshot: running, item: undefined }, now, plain),
      eventLine('velostrata', { type: 'finished', snapshot: failed, previous: running, item: undefined }, now, plain),
      eventLine(
        'velostrata',
        {
          type: 'finished',
          snapshot: { ...running, state: 'succeeded', progress: 1, endedAt: '2026-11-23T21:09:30Z' },
          previous: undefined,
          item: undefined,
        },
        now,
        plain,
      ),
      eventLine('velostrata', { type: 'disappeared', snapshot: running, item: undefined }, now, plain),
      eventLine(
        'snapservice',
        { type: 'transient-failure', error: trouble('HTTP 503 SERVICE_UNAVAILABLE'), failures: 3, retryInMs: 3500 },
        now,
        plain,
      ),
      eventLine('velostrata', { type: 'polled', count: 1, at: '' }, now, plain),
    ];
    expect(lines).toEqual([
      { stream: 'stdout', line: '21:10:00Z velostrata task-1003 FullMigration vm-3: running 42% · Replicating disk 2 of 4' },
      { stream: 'stdout', line: '21:10:00Z velostrata task-1003 FullMigration vm-3: failed 42% after 3m00s · quota exceeded' },
      { stream: 'stdout', line: '21:10:00Z velostrata task-1003 FullMigration vm-3: succeeded in 4m30s · Replicating disk 2 of 4' },
      {
        stream: 'stdout',
        line: '21:10:00Z velostrata task-1003 FullMigration vm-3: no longer listed (last seen running 42% · Replicating disk 2 of 4)',
      },
      { stream: 'stderr', line: '21:10:00Z snapservice: HTTP 503 SERVICE_UNAVAILABLE · retrying in 4s (failure 3)' },
      undefined,
    ]);
  });

  it('NDJSON records carry the event, its API, appliance and time; heartbeats are left out', () => {
    const velostrata = { api: 'velostrata', appliance: 'velostrata' };
    const snapservice = { api: 'snapservice', appliance: 'snap-1' };
    expect(
      eventRecord(velostrata, { type: 'changed', snapshot: running, previous: { ...running, progress: 0.4 }, item: undefined }, now),
    ).toEqual({
      type: 'changed',
      api: 'velostrata',
      appliance: 'velostrata',
      at: '2026-11-23T21:10:00.000Z',
      snapshot: running,
      previous: { ...running, progress: 0.4 },
    });
    const record = eventRecord(snapservice, { type: 'transient-failure', error: trouble('reset'), failures: 1, retryInMs: 1000 }, now);
    expect(JSON.parse(JSON.stringify(record))).toEqual({
      type: 'transient-failure',
      api: 'snapservice',
      appliance: 'snap-1',
      at: '2026-11-23T21:10:00.000Z',
      failures: 1,
      retryInMs: 1000,
      error: { name: 'TransportError', message: 'reset' },
    });
    expect(eventRecord(snapservice, { type: 'polled', count: 0, at: '' }, now)).toBeUndefined();
  });

  it('stalled and recovered: one record each, the last error as name, message (and status)', () => {
    const since = '2026-11-23T21:08:30.000Z';
    const source = { api: 'velostrata', appliance: 'vel-east' };
    const stalled = eventRecord(source, { type: 'stalled', since, lastError: trouble('reset') }, now);
    expect(JSON.parse(JSON.stringify(stalled))).toEqual({
      type: 'stalled',
      api: 'velostrata',
      appliance: 'vel-east',
      at: '2026-11-23T21:10:00.000Z',
      since,
      lastError: { name: 'TransportError', message: 'reset' },
    });
    expect(eventRecord(source, { type: 'recovered', since, at: '2026-11-23T21:09:59.000Z' }, now)).toEqual({
      type: 'recovered',
      api: 'velostrata',
      appliance: 'vel-east',
      at: '2026-11-23T21:10:00.000Z',
      since,
    });
    expect(eventLine('velostrata', { type: 'stalled', since, lastError: trouble('reset') }, now, plain)).toEqual({
      stream: 'stderr',
      line: '21:10:00Z velostrata: stalled since 21:08:30Z · reset',
    });
  });
});

describe('tasks table', () => {
  const rows = [
    running,
    failed,
    {
      ...running,
      api: 'snapservice' as const,
      id: 'snap-1',
      kind: 'snapshot',
      target: 'pg-1',
      progress: undefined,
      state: 'pending' as const,
    },
  ].map((snapshot) => ({ snapshot, gone: false }));

  it('shows every column in full when piped', () => {
    expect(renderTaskTable(rows, { now, colors: plain, showApi: true })).toMatchInlineSnapshot(`
      [
        "   ID         API          KIND           TARGET  DONE  STATE           AGE  MESSAGE",
        "✗  task-1003  velostrata   FullMigration  vm-3     42%  failed        3m00s  quota exceeded",
        "●  task-1003  velostrata   FullMigration  vm-3     42%  running       5m00s  Replicating disk 2 of 4",
        "○  snap-1     snapservice  snapshot       pg-1       –  pending       5m00s  Replicating disk 2 of 4",
      ]
    `);
  });

  it('fits a 60-column terminal', () => {
    const lines = renderTaskTable(rows, { width: 60, now, colors: plain, showApi: true });
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(60);
    expect(lines.join('\n')).toMatchInlineSnapshot(`
      "  ID        KIND          TARGET DONE STATE          AGE
      ✗ task-1003 FullMigration vm-3    42% failed       3m00s
      ● task-1003 FullMigration vm-3    42% running      5m00s
      ○ snap-1    snapshot      pg-1      – pending      5m00s"
    `);
  });
});
