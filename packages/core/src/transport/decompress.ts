import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw, type Gunzip } from 'node:zlib';

/** A decoded body (or one of its layers) grew past the cap; decoding stopped there. */
export class DecodedTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`decoded body is larger than ${limitBytes} bytes`);
  }
}

type Inflater = Pick<Gunzip, 'write' | 'end' | 'destroy' | 'pause' | 'resume' | 'on' | 'once'>;

const INFLATERS: Readonly<Record<string, (head: Buffer) => Inflater>> = {
  gzip: () => createGunzip(),
  'x-gzip': () => createGunzip(),
  br: () => createBrotliDecompress(),
  // "deflate" is meant to be zlib-wrapped (RFC 9110), but some servers send it raw: the first two
  // bytes tell which, as browsers and undici's fetch decide it.
  deflate: (head) => (isZlibHeader(head) ? createInflate() : createInflateRaw()),
};

function isZlibHeader(head: Buffer): boolean {
  return head.length >= 2 && (head[0]! & 0x0f) === 8 && ((head[0]! << 8) | head[1]!) % 31 === 0;
}

/**
 * Undoes `Content-Encoding` (last applied, first undone) while the body arrives, with every layer
 * and the result counted against `maxBytes`: a bomb (gzip, deflate, brotli, or nested, e.g.
 * `gzip, gzip`) stops within one zlib chunk of the cap, its streams destroyed and no more input
 * taken, so memory stays bounded by the cap whatever the ratio. Returns undefined when there is
 * nothing to undo. An unknown coding, and everything applied before it, is left as it is: the
 * caller sees bytes it cannot read, as with fetch.
 *
 * Hand-written: undici's decompress interceptor does this too but is experimental and prints a
 * warning to every user's stderr.
 */
export function contentDecoder(encoding: string | string[], maxBytes: number): ContentDecoder | undefined {
  const codings: string[] = [];
  const listed = String(encoding).toLowerCase().split(',').reverse();
  for (const coding of listed.map((each) => each.trim())) {
    if (coding === '' || coding === 'identity') continue;
    if (!(coding in INFLATERS)) break;
    codings.push(coding);
  }
  return codings.length === 0 ? undefined : new ContentDecoder(codings, maxBytes);
}

/**
 * One response's decoding chain. `write` each raw chunk (false: pause the input until `onDrain`),
 * then `finish`. A failure (corrupt data, a layer past the cap) is reported once to `onFailure`,
 * as soon as it happens, and `finish` rejects with it.
 */
export class ContentDecoder {
  onFailure: (error: Error) => void = () => undefined;
  onDrain: () => void = () => undefined;
  readonly #codings: readonly string[];
  readonly #maxBytes: number;
  // Created as their first bytes arrive: deflate's flavour is read from them.
  readonly #stages: (Inflater | undefined)[];
  // Bytes held for a stage not yet created (fewer than the two a zlib header needs).
  readonly #heads: Buffer[];
  readonly #sizes: number[];
  readonly #output: Buffer[] = [];
  #failure: Error | undefined;
  #finished: { resolve: (payload: Buffer) => void; reject: (error: Error) => void } | undefined;

  constructor(codings: readonly string[], maxBytes: number) {
    this.#codings = codings;
    this.#maxBytes = maxBytes;
    this.#stages = codings.map(() => undefined);
    this.#heads = codings.map(() => Buffer.alloc(0));
    this.#sizes = codings.map(() => 0);
  }

  /** Feeds raw body bytes; false when the first layer's buffer is full. */
  write(chunk: Buffer): boolean {
    return this.#feed(0, chunk);
  }

  /** The decoded body, once the raw body has ended and every layer has drained. */
  finish(): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.#failure) return reject(this.#failure);
      this.#finished = { resolve, reject };
      this.#end(0);
    });
  }

  /** Stops decoding and frees zlib's memory; nothing is reported. */
  destroy(): void {
    this.#failure ??= new Error('decoding cancelled');
    for (const stage of this.#stages) stage?.destroy();
  }

  #fail(error: Error): void {
    if (this.#failure) return;
    this.#failure = error;
    for (const stage of this.#stages) stage?.destroy();
    this.onFailure(error);
    this.#finished?.reject(error);
  }

  /** Gives bytes to layer `index` (or to the output, past the last layer); false asks to pause. */
  #feed(index: number, chunk: Buffer): boolean {
    if (this.#failure) return true;
    if (index === this.#codings.length) {
      this.#output.push(chunk);
      return true;
    }
    const stage = this.#stages[index];
    if (stage) return stage.write(chunk);
    // Layer `index` starts once it has the two bytes a zlib header needs; they are held until then.
    const head = this.#heads[index]!.length === 0 ? chunk : Buffer.concat([this.#heads[index]!, chunk]);
    if (head.length < 2) {
      this.#heads[index] = head;
      return true;
    }
    this.#heads[index] = Buffer.alloc(0);
    return this.#start(index, head).write(head);
  }

  #start(index: number, head: Buffer): Inflater {
    const stage = INFLATERS[this.#codings[index]!]!(head);
    this.#stages[index] = stage;
    const previous = this.#stages[index - 1];
    stage.on('data', (data: Buffer) => {
      this.#sizes[index]! += data.length;
      // Every layer is capped, not only the last: an inner layer may be a bomb of its own.
      if (this.#sizes[index]! > this.#maxBytes) return this.#fail(new DecodedTooLargeError(this.#maxBytes));
      if (!this.#feed(index + 1, data)) stage.pause();
    });
    stage.on('drain', () => (previous ? previous.resume() : this.onDrain()));
    stage.on('error', (error: Error) => this.#fail(error));
    stage.once('end', () => this.#end(index + 1));
    return stage;
  }

  /** Layer `index`'s input has ended: end it, or, past the last layer, hand over the result. */
  #end(index: number): void {
    if (this.#failure) return;
    if (index === this.#codings.length) {
      const payload = this.#output.length === 1 ? this.#output[0]! : Buffer.concat(this.#output);
      this.#output.length = 0;
      this.#finished?.resolve(payload);
      return;
    }
    let stage = this.#stages[index];
    const held = this.#heads[index]!;
    if (!stage && held.length > 0) {
      stage = this.#start(index, held);
      stage.write(held);
    }
    // A layer that never got a byte (an empty body) has nothing to undo.
    if (stage) stage.end();
    else this.#end(index + 1);
  }
}
