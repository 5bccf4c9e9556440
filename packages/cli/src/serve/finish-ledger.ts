import { open, readFile, rename } from 'node:fs/promises';
import { UsageError } from '../exit-codes.js';

/** Which watch a task belongs to: the appliance as configured and its API. */
export interface SourceKey {
  readonly appliance: string;
  readonly api: string;
}

/**
 * The tasks whose finish has been counted, so that a restart (of a watch, or of `vmtasks serve`
 * with the same `--state` file) does not count them again. The one place that knows how finishes
 * are remembered: switching to the watches' own checkpoints changes this file only.
 */
export interface FinishLedger {
  has(source: SourceKey, taskId: string): boolean;
  add(source: SourceKey, taskId: string): void;
  /** A task left the list: it is not followed any more, so neither is its finish. */
  forget(source: SourceKey, taskId: string): void;
  /** Keeps only `listed` of `source`: tasks that left the list while nobody watched. */
  retain(source: SourceKey, listed: ReadonlySet<string>): void;
  /** Writes what is pending and stops writing. */
  close(): Promise<void>;
}

interface LedgerFile {
  version: 1;
  /** appliance → api → ids of counted finished tasks still listed. */
  counted: Record<string, Record<string, string[]>>;
}

/** Shortest time between two writes of the file: a busy fleet finishes tasks every poll round. */
const WRITE_GAP_MS = 500;

/** Counted finishes in memory, written to `file` (when given) after each change, atomically and at most every `WRITE_GAP_MS`. */
class Ledger implements FinishLedger {
  readonly #counted = new Map<string, Map<string, Set<string>>>();
  readonly #file: string | undefined;
  readonly #onWriteError: (error: unknown) => void;
  #dirty = false;
  #writing: Promise<void> | undefined;
  #closed = false;
  /** The pause after a write, ended early by `close`. */
  #gap: { timer: NodeJS.Timeout; end: () => void } | undefined;

  constructor(file: string | undefined, onWriteError: (error: unknown) => void, from?: LedgerFile) {
    this.#file = file;
    this.#onWriteError = onWriteError;
    for (const [appliance, apis] of Object.entries(from?.counted ?? {})) {
      for (const [api, ids] of Object.entries(apis)) for (const id of ids) this.#ids({ appliance, api }, true)!.add(id);
    }
  }

  #ids(source: SourceKey, create: boolean): Set<string> | undefined {
    let apis = this.#counted.get(source.appliance);
    if (!apis) {
      if (!create) return undefined;
      apis = new Map();
      this.#counted.set(source.appliance, apis);
    }
    let ids = apis.get(source.api);
    if (!ids && create) {
      ids = new Set();
      apis.set(source.api, ids);
    }
    return ids;
  }

  has(source: SourceKey, taskId: string): boolean {
    return this.#ids(source, false)?.has(taskId) ?? false;
  }

  add(source: SourceKey, taskId: string): void {
    this.#ids(source, true)!.add(taskId);
    this.#changed();
  }

  forget(source: SourceKey, taskId: string): void {
    if (this.#ids(source, false)?.delete(taskId)) this.#changed();
  }

  retain(source: SourceKey, listed: ReadonlySet<string>): void {
    const ids = this.#ids(source, false);
    if (!ids) return;
    let removed = false;
    for (const id of ids) {
      if (!listed.has(id)) removed = ids.delete(id) || removed;
    }
    if (removed) this.#changed();
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#gap) {
      clearTimeout(this.#gap.timer);
      this.#gap.end();
    }
    await this.#writing;
    if (this.#dirty) await this.#write();
  }

  #changed(): void {
    if (this.#file === undefined) return;
    this.#dirty = true;
    if (!this.#writing && !this.#closed) this.#writing = this.#writeLoop();
  }

  async #writeLoop(): Promise<void> {
    while (this.#dirty && !this.#closed) {
      await this.#write();
      await new Promise<void>((end) => (this.#gap = { timer: setTimeout(end, WRITE_GAP_MS), end }));
      this.#gap = undefined;
    }
    this.#writing = undefined;
  }

  /** The whole ledger to a temporary file, flushed to disk, then renamed over the old one: a crash leaves the old file or the new, never half of one. */
  async #write(): Promise<void> {
    const file = this.#file!;
    this.#dirty = false;
    const counted: LedgerFile['counted'] = {};
    for (const [appliance, apis] of this.#counted) {
      counted[appliance] = Object.fromEntries([...apis].map(([api, ids]) => [api, [...ids]]));
    }
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      const handle = await open(temporary, 'w', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify({ version: 1, counted } satisfies LedgerFile)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, file);
    } catch (error) {
      this.#dirty = true;
      this.#onWriteError(error);
    }
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why `value` is not a ledger file, or undefined when it is one. Names what is wrong, never echoes the file. */
function ledgerProblem(value: unknown): string | undefined {
  if (!isRecord(value) || value['version'] !== 1) return 'is not a vmtasks serve state file (version 1)';
  const counted = value['counted'];
  if (!isRecord(counted)) return 'has no "counted" object';
  for (const apis of Object.values(counted)) {
    if (!isRecord(apis)) return 'has an appliance entry that is not an object';
    for (const ids of Object.values(apis)) {
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) return 'has an entry that is not a list of task ids';
    }
  }
  return undefined;
}

/**
 * The ledger of `vmtasks serve`: in memory only without `file`; with it, loaded from it (a missing
 * file is an empty ledger) and kept in it. A file that is not one is a `UsageError` (exit 2).
 */
export async function openFinishLedger(file: string | undefined, onWriteError: (error: unknown) => void): Promise<FinishLedger> {
  if (file === undefined) return new Ledger(undefined, onWriteError);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Ledger(file, onWriteError);
    throw new UsageError(`--state ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`--state ${file}: not JSON; remove it to start counting afresh`);
  }
  const problem = ledgerProblem(value);
  if (problem) throw new UsageError(`--state ${file}: ${problem}; remove it to start counting afresh`);
  return new Ledger(file, onWriteError, value as LedgerFile);
}
