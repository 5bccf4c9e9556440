import type { WatchEvent } from '@vmtasks/core';
import type { TaskBoard } from './board.js';
import type { Context } from './context.js';
import { isTerminal } from './io.js';
import { eventLine, eventRecord, type EventSource } from './render/events.js';
import type { FrameOptions } from './render/live.js';
import { jsonText } from './server-text.js';

/**
 * Where a watch's events go, once the board has them: a live view on a terminal, one plain
 * line per change in a pipe, or NDJSON. Polling never knows which.
 */
export interface WatchOutput {
  event(source: EventSource, event: WatchEvent): void;
  stop(): void;
}

export async function liveOutput(
  context: Context,
  board: TaskBoard,
  title: FrameOptions['title'],
): Promise<WatchOutput & { refresh(): void }> {
  // Loaded only for a terminal: pipes, logs and --json start faster without log-update.
  const [{ LiveView }, { renderLiveFrame }] = await Promise.all([import('./live-view.js'), import('./render/live.js')]);
  const view = new LiveView(context.io.stdout, ({ width, height }) =>
    renderLiveFrame(board, { width, height, now: context.clock.now(), colors: context.colors.stdout, title }),
  );
  view.start();
  return { event: () => view.invalidate(), refresh: () => view.invalidate(), stop: () => view.stop() };
}

export function plainOutput(context: Context): WatchOutput {
  return {
    event: (source, event) => {
      const colors = event.type === 'transient-failure' ? context.colors.stderr : context.colors.stdout;
      const line = eventLine(source.appliance, event, context.clock.now(), colors);
      if (line) context.io[line.stream].write(`${line.line}\n`);
    },
    stop: () => {},
  };
}

export function jsonOutput(context: Context): WatchOutput {
  return {
    event: (source, event) => {
      const record = eventRecord(source, event, context.clock.now());
      if (record) context.io.stdout.write(`${jsonText(record)}\n`);
    },
    stop: () => {},
  };
}

/** The output a person or a program at the other end of stdout wants. */
export async function chooseOutput(
  context: Context,
  board: TaskBoard,
  options: { json?: boolean; title: FrameOptions['title'] },
): Promise<WatchOutput> {
  if (options.json) return jsonOutput(context);
  return isTerminal(context.io.stdout) ? liveOutput(context, board, options.title) : plainOutput(context);
}
