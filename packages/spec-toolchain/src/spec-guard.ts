import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { Document, ResolveError, Source, YamlParseError } from '@redocly/openapi-core';
import { redoclyCore } from './deps.js';
import type { SpecProblem } from './problem.js';
import { isRecord } from './registry.js';
import { escapePointer, type Place, pointerPlace, problemAt, refPlace, unescapePointer } from './spec-place.js';

/**
 * What a spec may cost before any rule runs on it: a spec is text from many hands, and Redocly's
 * walkers recurse through whatever they are given (an alias bomb or a long `$ref` chain took
 * tens of seconds and a gigabyte, or the whole stack).
 */
export const SPEC_LIMITS = {
  /** Bytes of one spec file (the two real specs are 11 and 23 KB). */
  fileBytes: 10 * 1024 * 1024,
  /** Nodes YAML aliases may add to a file, counted as if each alias were written out. */
  aliasNodes: 100_000,
  /** `$ref`s followed in a row before reaching a schema (`A: {$ref: B}`, `B: {$ref: C}`…). */
  refChain: 64,
} as const;

/** A file the guard refuses to hand on: the problem says where and why. */
export class SpecRefused extends Error {
  override name = 'SpecRefused';
  constructor(readonly problem: SpecProblem) {
    super(problem.message);
  }
}

/** A URL rather than a path: `http:`, `https:`, `file:`, `ftp:`… (a Windows drive letter is a path). */
const isUrl = (ref: string): boolean => /^[a-z][a-z0-9+.-]+:/i.test(ref);

function realOrResolved(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    // Missing: Redocly reports it as unresolved; judged by where it would be.
    return path.resolve(file);
  }
}

/**
 * Redocly's resolver, for one API: it never opens a connection (a remote `$ref` is a problem at
 * its line, nothing is fetched), reads only files whose real path is inside the API's folder
 * (`ref-outside-api-folder`, symlinks and absolute paths included), and refuses a file over
 * `SPEC_LIMITS` before Redocly walks it. Lint and bundling share it, so both see the same refusals.
 */
export class GuardedResolver extends redoclyCore.BaseResolver {
  /** Every refusal so far, for the lint report. */
  readonly refusals: SpecProblem[] = [];
  private readonly folder: string;

  /** `folder`: the API's folder (its files must all be there); `rootDir`: what problems are relative to. */
  constructor(
    folder: string,
    private readonly rootDir: string,
  ) {
    super({ http: { headers: [] } });
    this.folder = realOrResolved(folder);
  }

  /** Whether a problem's message is one of this resolver's refusals (Redocly repeats it as an unresolved `$ref`). */
  refused(message: string): boolean {
    return this.refusals.some((problem) => message.endsWith(problem.message));
  }

  override async resolveDocument(base: string | null, ref: string, isRoot = false): Promise<Document | ResolveError | YamlParseError> {
    if (base !== null) {
      const refusal = this.refusal(base, ref);
      if (refusal) {
        const problem = problemAt(refPlace(base, ref), this.rootDir, refusal.rule, refusal.message);
        this.refusals.push(problem);
        throw new redoclyCore.ResolveError(new Error(problem.message));
      }
    }
    return super.resolveDocument(base, ref, isRoot);
  }

  // Never reached for a URL (resolveDocument refuses it first); kept so no other path can fetch.
  override async loadExternalRef(absoluteRef: string): Promise<Source> {
    if (isUrl(absoluteRef))
      throw new redoclyCore.ResolveError(new Error(`${JSON.stringify(absoluteRef)}: the toolchain never fetches anything`));
    return super.loadExternalRef(absoluteRef);
  }

  private refusal(base: string, ref: string): { rule: string; message: string } | undefined {
    if (isUrl(ref)) {
      return {
        rule: 'remote-ref',
        message: `${JSON.stringify(ref)} is not a file of the spec's folder: the toolchain never fetches anything; copy it into ${this.shown(this.folder)}/`,
      };
    }
    const target = path.resolve(path.dirname(base), ref);
    const real = realOrResolved(target);
    if (real.startsWith(this.folder + path.sep)) return undefined;
    const through = real === path.resolve(target) ? '' : ` (through a symlink, it is ${this.shown(real)})`;
    return {
      rule: 'ref-outside-api-folder',
      message: `${this.shown(target)}${through} is outside ${this.shown(this.folder)}/, which is all that turbo's cache and npm run dev look at for this API (its types could go stale unseen); move the file into the folder`,
    };
  }

  private shown(file: string): string {
    const relative = path.relative(this.rootDir, file);
    return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
  }

  override parseDocument(source: Source, isRoot = false): Document {
    const place: Place = { file: source.absoluteRef, line: 1, column: 1 };
    if (source.body.length > SPEC_LIMITS.fileBytes) {
      const size = `${(source.body.length / 1024 / 1024).toFixed(1)} MB`;
      this.refuse(
        place,
        'spec-too-large',
        `${size}, over the ${SPEC_LIMITS.fileBytes / 1024 / 1024} MB a spec file may have; split it into files`,
      );
    }
    const document = super.parseDocument(source, isRoot);
    const problem = aliasProblem(document) ?? refChainProblem(document);
    if (problem) this.refuse(problem.place, problem.rule, problem.message);
    return document;
  }

  private refuse(place: Place, rule: string, message: string): never {
    const problem = problemAt(place, this.rootDir, rule, message);
    this.refusals.push(problem);
    throw new SpecRefused(problem);
  }
}

interface ShapeProblem {
  place: Place;
  rule: string;
  message: string;
}

/**
 * YAML aliases, bounded: js-yaml shares the anchored node, so memory stays small, but every
 * walker after it (Redocly's, ajv's) goes through each alias as if it were written out. Counts
 * the nodes each alias adds (per node, once) and stops at the alias that passes the limit, or one
 * inside the node it names (a cycle no walker would leave).
 */
function aliasProblem(document: Document): ShapeProblem | undefined {
  const sizes = new Map<object, number>();
  const open = new Set<object>();
  const size = (node: unknown): number => {
    if (typeof node !== 'object' || node === null) return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    if (open.has(node)) return Number.POSITIVE_INFINITY;
    open.add(node);
    let total = 1;
    for (const child of Object.values(node)) total += size(child);
    open.delete(node);
    sizes.set(node, total);
    return total;
  };
  const seen = new Set<object>();
  let added = 0;
  const visit = (node: unknown, pointer: string): ShapeProblem | undefined => {
    if (typeof node !== 'object' || node === null) return undefined;
    if (seen.has(node)) {
      const count = size(node);
      added += count;
      if (count === Number.POSITIVE_INFINITY) {
        return {
          place: pointerPlace(document.source, pointer),
          rule: 'yaml-alias',
          message: 'this alias names a node that contains it (an endless document)',
        };
      }
      if (added > SPEC_LIMITS.aliasNodes) {
        return {
          place: pointerPlace(document.source, pointer),
          rule: 'yaml-alias',
          message: `YAML aliases expand the file past ${SPEC_LIMITS.aliasNodes.toLocaleString('en-US')} nodes here (an alias bomb?); write the values out or use $ref`,
        };
      }
      return undefined;
    }
    seen.add(node);
    for (const [key, child] of Object.entries(node)) {
      const problem = visit(child, `${pointer}/${escapePointer(key)}`);
      if (problem) return problem;
    }
    return undefined;
  };
  return visit(document.parsed, '#');
}

/** The node at a local pointer (`#/components/schemas/A`), `$ref`s on the way not followed. */
function atPointer(root: unknown, pointer: string): unknown {
  const keys = pointer.replace(/^#\/?/, '').split('/').filter(Boolean);
  let node = root;
  for (const key of keys) {
    node = isRecord(node) || Array.isArray(node) ? (node as Record<string, unknown>)[unescapePointer(key)] : undefined;
  }
  return node;
}

const localRef = (node: unknown): string | undefined =>
  isRecord(node) && typeof node['$ref'] === 'string' && node['$ref'].startsWith('#') ? node['$ref'] : undefined;

/**
 * Chains of local `$ref`s that lead to nothing but another `$ref`: Redocly follows them by
 * recursion (800 in a row took the stack, or a minute) and throws on a loop. A loop, or a chain
 * longer than `SPEC_LIMITS.refChain`, is reported at the `$ref` that starts it.
 */
function refChainProblem(document: Document): ShapeProblem | undefined {
  const lengths = new Map<string, number>();
  const chainFrom = (pointer: string): number => {
    const known = lengths.get(pointer);
    if (known !== undefined) return known;
    const trail: string[] = [];
    let current: string | undefined = pointer;
    while (current !== undefined && !lengths.has(current)) {
      if (trail.includes(current) || trail.length > SPEC_LIMITS.refChain) {
        for (const step of trail) lengths.set(step, Number.POSITIVE_INFINITY);
        return Number.POSITIVE_INFINITY;
      }
      trail.push(current);
      current = localRef(atPointer(document.parsed, current));
    }
    const tail = current === undefined ? 0 : (lengths.get(current) ?? 0);
    trail.forEach((step, index) => lengths.set(step, trail.length - index + tail));
    return lengths.get(pointer) ?? 0;
  };
  const visit = (node: unknown, pointer: string, depth: number): ShapeProblem | undefined => {
    if (typeof node !== 'object' || node === null || depth > 200) return undefined;
    const ref = localRef(node);
    if (ref !== undefined) {
      const length = chainFrom(ref);
      if (length === Number.POSITIVE_INFINITY) {
        const loop = chainLoops(document.parsed, ref);
        return {
          place: pointerPlace(document.source, pointer),
          rule: 'ref-chain',
          message: loop
            ? `this $ref leads into a loop of $refs that never reaches a schema: ${loop}`
            : `this $ref starts a chain of more than ${SPEC_LIMITS.refChain} $refs that point at $refs; point it at the schema`,
        };
      }
    }
    for (const [key, child] of Object.entries(node)) {
      const problem = visit(child, `${pointer}/${escapePointer(key)}`, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  };
  return visit(document.parsed, '#', 0);
}

/** The pointers of a `$ref` loop starting at `ref` (`#/a → #/b → #/a`), or undefined when the chain only is long. */
function chainLoops(root: unknown, ref: string): string | undefined {
  const trail: string[] = [];
  let current: string | undefined = ref;
  while (current !== undefined && trail.length <= SPEC_LIMITS.refChain) {
    const at = trail.indexOf(current);
    if (at >= 0) return [...trail.slice(at), current].join(' → ');
    trail.push(current);
    current = localRef(atPointer(root, current));
  }
  return undefined;
}
