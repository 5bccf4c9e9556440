// `npm run docs`: pages that work from disk, offline. Headless Chromium opens each one, every
// request it makes is recorded (any that is not file:, data: or blob: fails the test), and each
// operation must show its parameters and every documented response. Screenshots go to
// test-output/docs/ (not committed). A spec whose descriptions carry script, built to a page,
// must render the same way and run none of it.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseYaml } from '@redocly/openapi-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDocs, type DocsPage } from '../src/docs.js';
import { isRecord, loadRegistry, type Registry } from '../src/registry.js';
import { repo } from '../src/test-workspace.js';
import { CHROMIUM_ARGS, requireChromium } from './chromium.js';
import { CLICK_TEXT, PWNED_TITLE, payloads, writeHostileApi } from './hostile-spec.js';

const SCREENSHOTS = path.join(import.meta.dirname, '../test-output/docs');
const LOCAL = /^(file|data|blob|about):/;

let registry: Registry;
let outDir: string;
let pages: DocsPage[];
let browser: Browser;

beforeAll(async () => {
  const executablePath = requireChromium();
  registry = await loadRegistry(path.join(repo, 'redocly.yaml'));
  outDir = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-docs-'));
  pages = await buildDocs(registry, registry.apis, outDir);
  await mkdir(SCREENSHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath,
    args: CHROMIUM_ARGS,
  });
});
afterAll(async () => {
  await browser?.close();
  await rm(outDir, { recursive: true, force: true });
});

interface OpenedPage {
  page: Page;
  url: string;
  /** Every URL requested, and every request the Content-Security-Policy stopped. */
  requests: string[];
  /** Every URL a response came from: what got past the Content-Security-Policy. */
  answered: string[];
  /** The messages of every alert, confirm or prompt. */
  dialogs: string[];
  /** Every URL the main frame navigated to after the first load, but for a change of its #fragment. */
  navigations: string[];
  text: (selector: string) => Promise<string>;
}

/** Opens a page from disk and records what it requests, until the network is idle. */
async function open(file: string, screenshot: string): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const url = pathToFileURL(path.join(outDir, file)).href;
  const requests: string[] = [];
  const answered: string[] = [];
  const dialogs: string[] = [];
  const navigations: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  context.on('response', (response) => answered.push(response.url()));
  // A request the Content-Security-Policy stops never reaches the network; record those too.
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) requests.push(`csp-blocked: ${message.text()}`);
  });
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss().catch(() => undefined); // the page may be gone already
  });
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame() && frame.url().split('#')[0] !== url) navigations.push(frame.url());
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.screenshot({ path: path.join(SCREENSHOTS, screenshot), fullPage: false });
  return {
    page,
    url,
    requests,
    answered,
    dialogs,
    navigations,
    text: async (selector) => {
      const found = page.locator(selector);
      await found.first().waitFor({ timeout: 30_000 });
      return (await found.allInnerTexts()).join('\n');
    },
  };
}

interface Operation {
  operationId: string;
  summary: string;
  parameters: string[];
  statuses: string[];
}

/** What each operation of a spec must show: its parameters (path-level ones too) and its responses. */
async function operationsOf(specPath: string): Promise<Operation[]> {
  const spec: unknown = parseYaml(await readFile(specPath, 'utf8'));
  const root = isRecord(spec) ? spec : {};
  const components = isRecord(root['components']) ? root['components'] : {};
  const shared = isRecord(components['parameters']) ? components['parameters'] : {};
  const nameOf = (parameter: unknown): string => {
    const ref = isRecord(parameter) && typeof parameter['$ref'] === 'string' ? parameter['$ref'].split('/').pop() : undefined;
    const resolved = ref === undefined ? parameter : shared[ref];
    return isRecord(resolved) ? String(resolved['name']) : '?';
  };
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
  const operations: Operation[] = [];
  for (const item of Object.values(isRecord(root['paths']) ? root['paths'] : {})) {
    if (!isRecord(item)) continue;
    for (const [method, operation] of Object.entries(item)) {
      if (!isRecord(operation) || !['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'].includes(method)) continue;
      operations.push({
        operationId: String(operation['operationId']),
        summary: String(operation['summary'] ?? ''),
        parameters: [...list(item['parameters']), ...list(operation['parameters'])].map(nameOf),
        statuses: Object.keys(isRecord(operation['responses']) ? operation['responses'] : {}),
      });
    }
  }
  return operations;
}

describe('npm run docs', () => {
  it('builds an index page linking one page per API of redocly.yaml, offline', async () => {
    expect(pages.map((p) => p.api)).toEqual(registry.apis.map((api) => api.name));
    const index = await open('index.html', 'index.png');
    const links = await index.text('li a');
    for (const p of pages) expect(links).toContain(p.title);
    expect(index.requests.filter((url) => !LOCAL.test(url))).toEqual([]);
  });

  it('renders every operation, its parameters and every response, with no request off the disk', async () => {
    for (const api of registry.apis) {
      const page = await open(`${api.name}.html`, `${api.name}.png`);
      await expectEveryOperation(page, api.root, api.name);
      expect(
        page.requests.filter((url) => !LOCAL.test(url)),
        `${api.name}.html`,
      ).toEqual([]);
      expect(page.requests.length, `${api.name}.html loaded`).toBeGreaterThan(0);
    }
  });

  it('finds an operation by its summary: the search worker runs under the CSP (no eval)', async () => {
    for (const api of registry.apis) {
      const page = await open(`${api.name}.html`, `${api.name}-search.png`);
      const [operation] = await operationsOf(api.root);
      if (!operation?.summary) continue;
      await page.text(`[id$="operation/${operation.operationId}"]`);
      await page.page
        .getByRole('textbox', { name: /search/i })
        .or(page.page.locator('input[placeholder^="Search"]'))
        .first()
        .fill(operation.summary);
      await page.page.locator('[data-role="search:results"]').getByText(operation.summary).first().waitFor({ timeout: 30_000 });
      expect(
        page.requests.filter((url) => url.startsWith('csp-blocked:')),
        api.name,
      ).toEqual([]);
    }
  });

  it('allows no inline script but its own: script-src lists the hash of each script of the page, and nothing else', async () => {
    for (const file of ['index.html', ...pages.map((p) => p.file)]) {
      const html = await readFile(path.join(outDir, file), 'utf8');
      const policy = contentSecurityPolicy(html);
      const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1] ?? '');
      const hashes = scripts.map((text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`);
      expect(policy.get('script-src'), file).toEqual(hashes.length > 0 ? hashes : ["'none'"]);
      for (const [directive, value] of [
        ['default-src', "'none'"],
        ['object-src', "'none'"],
        ['base-uri', "'none'"],
        ['form-action', "'none'"],
        ['connect-src', "'none'"],
      ] as const) {
        expect(policy.get(directive), `${file} ${directive}`).toEqual([value]);
      }
    }
  });
});

/** The directives of the page's Content-Security-Policy (its <meta>), each with its sources. */
function contentSecurityPolicy(html: string): Map<string, string[]> {
  const content = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
  if (content === undefined) throw new Error('no Content-Security-Policy <meta>');
  return new Map(
    content
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name ?? '', sources]),
  );
}

describe('npm run docs on a spec whose descriptions carry script', () => {
  let trap: ReturnType<typeof createServer>;
  const visits: string[] = [];
  let trapUrl: string;
  let hostile: Registry;

  beforeAll(async () => {
    trap = createServer((request, response) => {
      visits.push(request.url ?? '');
      response.end('<title>trapped</title>');
    });
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
    trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}`;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-docs-hostile-'));
    // The repository's API with the most parameters: descriptions in every part of a spec.
    const counts = await Promise.all(
      registry.apis.map(async (api) => (await operationsOf(api.root)).flatMap((op) => op.parameters).length),
    );
    const richest = registry.apis[counts.indexOf(Math.max(...counts))]!;
    hostile = await loadRegistry(await writeHostileApi(dir, richest.root, registry.configPath, trapUrl));
    // A folder of its own: its index.html must not replace the repository's.
    await buildDocs(hostile, hostile.apis, path.join(outDir, 'hostile'));
    return async () => {
      trap.closeAllConnections();
      await new Promise<void>((resolve) => trap.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    };
  });

  it('runs none of it, opened or clicked: no script, dialog, navigation or request off the disk', async () => {
    const opened = await open('hostile/hostile.html', 'hostile.png');
    const api = hostile.apis[0]!;
    // Rendered (or navigated away): the payloads had their chance.
    const rendered = await opened.text(`[id$="operation/${(await operationsOf(api.root))[0]!.operationId}"]`).then(
      () => true,
      () => false,
    );
    // The links and buttons of the payloads that need a click, in every description, the ones in
    // collapsed sections too (a click() follows a link and submits a form all the same). A click
    // that navigates ends the script: that navigation is what the assertions below report.
    const clicked = await opened.page
      .evaluate(
        `[...document.querySelectorAll('a, button')].filter((e) => e.textContent.includes('${CLICK_TEXT}')).map((e) => (e.click(), e.tagName))`,
      )
      .catch((error: unknown) => [`navigated away: ${String(error)}`]);
    // One more round of tasks and frames, for anything the clicks scheduled.
    await opened.page.evaluate('new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))');

    expect(opened.dialogs).toEqual([]);
    expect(opened.navigations).toEqual([]);
    expect(visits).toEqual([]);
    // What the sanitizer keeps (an <img> without its handler, a <style> with an @import) the
    // Content-Security-Policy stops before it leaves the page.
    expect(opened.answered.filter((url) => !LOCAL.test(url))).toEqual([]);
    expect(opened.page.url().split('#')[0]).toBe(opened.url);
    expect(await opened.page.title()).not.toBe(PWNED_TITLE);
    expect(await opened.page.evaluate('window.__pwned ?? []')).toEqual([]);
    // And the test did what it says: the page rendered, and the clicks reached links and a button.
    expect(rendered).toBe(true);
    expect(clicked).toEqual(expect.arrayContaining(['A', 'BUTTON']));
  });

  it('still renders every operation, its parameters and every response', async () => {
    const api = hostile.apis[0]!;
    await expectEveryOperation(await open('hostile/hostile.html', 'hostile-rendered.png'), api.root, api.name);
  });

  it('was handed every payload in every kind of description (so the tests above tried each one)', async () => {
    const places = descriptionsWith(parseYaml(await readFile(hostile.apis[0]!.root, 'utf8')), Object.values(payloads(trapUrl)));
    for (const kind of [
      /^info\./,
      /^tags\./,
      /^paths\.[^.]+\.get\.description$/,
      /^components\.parameters\./,
      /\.responses\./,
      /^components\.schemas\./,
    ]) {
      expect(
        places.some((place) => kind.test(place)),
        `${kind} in ${places.join(', ')}`,
      ).toBe(true);
    }
  });
});

/** Where (dotted paths) a `description` holds every one of `texts`. */
function descriptionsWith(node: unknown, texts: string[], at = ''): string[] {
  if (!isRecord(node) && !Array.isArray(node)) return [];
  return Object.entries(node).flatMap(([key, value]) => {
    const place = at ? `${at}.${key}` : key;
    if (key === 'description' && typeof value === 'string') return texts.every((text) => value.includes(text)) ? [place] : [];
    return descriptionsWith(value, texts, place);
  });
}

/** Each operation of the spec shows its parameters and every documented response. */
async function expectEveryOperation(page: OpenedPage, specPath: string, label: string): Promise<void> {
  for (const operation of await operationsOf(specPath)) {
    const section = await page.text(`[id$="operation/${operation.operationId}"]`);
    for (const parameter of operation.parameters) expect(section, `${label} ${operation.operationId} parameter`).toContain(parameter);
    for (const status of operation.statuses) {
      expect(section, `${label} ${operation.operationId} response`).toMatch(new RegExp(`^\\s*${status}\\b`, 'm'));
    }
  }
}
