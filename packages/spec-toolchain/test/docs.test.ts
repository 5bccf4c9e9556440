// `npm run docs`: pages that work from disk, offline. Headless Chromium opens each one, every
// request it makes is recorded (any that is not file:, data: or blob: fails the test), and each
// operation must show its parameters and every documented response. Screenshots go to
// test-output/docs/ (not committed).
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseYaml } from '@redocly/openapi-core';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDocs, type DocsPage } from '../src/docs.js';
import { isRecord, loadRegistry, type Registry } from '../src/registry.js';
import { repo } from '../src/scratch.js';
import { CHROMIUM_ARGS, requireChromium } from './chromium.js';

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

/** Opens a page from disk and returns every URL it requested, until the network is idle. */
async function open(file: string, screenshot: string): Promise<{ requests: string[]; text: (selector: string) => Promise<string> }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const requests: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  // A request the Content-Security-Policy stops never reaches the network; record those too.
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) requests.push(`csp-blocked: ${message.text()}`);
  });
  await page.goto(pathToFileURL(path.join(outDir, file)).href, { waitUntil: 'networkidle' });
  await page.screenshot({ path: path.join(SCREENSHOTS, screenshot), fullPage: false });
  return {
    requests,
    text: async (selector) => {
      const found = page.locator(selector);
      await found.first().waitFor({ timeout: 30_000 });
      return (await found.allInnerTexts()).join('\n');
    },
  };
}

interface Operation {
  operationId: string;
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
      for (const operation of await operationsOf(api.root)) {
        const section = await page.text(`[id$="operation/${operation.operationId}"]`);
        for (const parameter of operation.parameters)
          expect(section, `${api.name} ${operation.operationId} parameter`).toContain(parameter);
        for (const status of operation.statuses) {
          expect(section, `${api.name} ${operation.operationId} response`).toMatch(new RegExp(`^\\s*${status}\\b`, 'm'));
        }
      }
      expect(
        page.requests.filter((url) => !LOCAL.test(url)),
        `${api.name}.html`,
      ).toEqual([]);
      expect(page.requests.length, `${api.name}.html loaded`).toBeGreaterThan(0);
    }
  });
});
