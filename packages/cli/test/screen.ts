import xterm from '@xterm/headless';

/**
 * What a person would see on a terminal of `columns`×`rows`: the bytes a program writes, fed
 * to a headless xterm with escape sequences applied. Shared by the real pseudo-terminal
 * (terminal.ts) and the in-process one (in-process.ts).
 */
export class HeadlessScreen {
  readonly #terminal: xterm.Terminal;
  readonly #rows: number;
  readonly #watchers = new Set<() => void>();
  #bytes = '';
  #parsed = Promise.resolve();

  constructor(columns: number, rows: number) {
    this.#rows = rows;
    this.#terminal = new xterm.Terminal({ cols: columns, rows, allowProposedApi: true });
  }

  write(data: string): void {
    this.#bytes += data;
    this.#parsed = this.#parsed
      .then(() => new Promise<void>((resolve) => this.#terminal.write(data, resolve)))
      .then(() => this.#watchers.forEach((check) => check()));
  }

  /** Resolves once everything written so far is on the screen. */
  settled(): Promise<void> {
    return this.#parsed;
  }

  /** The visible screen, one string per row, trailing spaces removed. */
  lines(): string[] {
    const buffer = this.#terminal.buffer.active;
    return Array.from({ length: this.#rows }, (_, row) => buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '');
  }

  /** Every byte written. */
  raw(): string {
    return this.#bytes;
  }

  /**
   * Resolves with the screen once `test` holds for it (checked after each write); with
   * `timeoutMs`, rejects after that long showing the screen.
   */
  waitFor(test: (screen: string) => boolean, timeoutMs?: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        // Mid-frame (inside synchronized output) the screen is not what a terminal shows yet.
        if (this.#terminal.modes.synchronizedOutputMode) return;
        const text = this.lines().join('\n');
        if (!test(text)) return;
        cleanup();
        resolve(text);
      };
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              cleanup();
              reject(new Error(`screen never matched within ${timeoutMs} ms; it shows:\n${this.lines().join('\n')}`));
            }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#watchers.delete(check);
      };
      this.#watchers.add(check);
      void this.#parsed.then(check);
    });
  }
}
