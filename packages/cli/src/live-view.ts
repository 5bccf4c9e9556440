import ansiEscapes from 'ansi-escapes';
import { createLogUpdate } from 'log-update';
import { terminalSize, type OutputStream } from './io.js';

/**
 * The redrawn-in-place view on a terminal (log-update does the diffing and erasing). Redraws
 * are coalesced (a poll that changes fifty tasks draws once), repeated every second so elapsed
 * times move, and on resize. `stop` leaves the last frame on screen and the cursor visible.
 */
export class LiveView {
  readonly #stream: OutputStream;
  readonly #frame: (size: { width: number; height: number }) => string[];
  readonly #update: ReturnType<typeof createLogUpdate>;
  #timer: NodeJS.Timeout | undefined;
  #scheduled = false;
  #stopped = false;
  readonly #onResize = (): void => this.draw();
  // Should the process end while the view is up (a crash), the cursor still comes back.
  readonly #onExit = (): void => void this.#stream.write(ansiEscapes.cursorShow);

  constructor(stream: OutputStream, frame: (size: { width: number; height: number }) => string[]) {
    this.#stream = stream;
    this.#frame = frame;
    // The cursor is hidden and shown here, on this stream, rather than by log-update (which
    // writes to process.stderr and installs its own exit hooks).
    this.#update = createLogUpdate(stream, { showCursor: true });
  }

  start(): void {
    this.#stream.write(ansiEscapes.cursorHide);
    process.once('exit', this.#onExit);
    this.draw();
    this.#timer = setInterval(() => this.draw(), 1000);
    this.#stream.on('resize', this.#onResize);
  }

  /** Asks for a redraw soon; many requests in one tick draw once. */
  invalidate(): void {
    if (this.#scheduled || this.#stopped) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.draw();
    });
  }

  draw(): void {
    if (this.#stopped) return;
    this.#update(this.#frame(terminalSize(this.#stream)).join('\n'));
  }

  stop(): void {
    if (this.#stopped) return;
    this.draw();
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#stream.off('resize', this.#onResize);
    this.#update.done();
    this.#stream.write(ansiEscapes.cursorShow);
    process.off('exit', this.#onExit);
  }
}
