import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { lintAndBundle } from './lint.js';
import { isRecord, type ApiEntry, type Registry } from './registry.js';

// Redoc's standalone bundle (React and all) is inlined into every page, so a page opened from
// disk needs nothing else: no CDN, no fonts, no telemetry. Redoc 2.x, not 3.x: 3.x needs Node 22
// and reports to an OpenTelemetry endpoint. Its sidebar footer loads a logo from Redocly's CDN:
// that address is swapped for an empty inline image, and the Content-Security-Policy below
// forbids any request off the page, whatever a later Redoc adds, and any script but the page's.
const require = createRequire(import.meta.url);
const REDOC_BUNDLE = require.resolve('redoc/bundles/redoc.standalone.js');
const CDN_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg';
const EMPTY_SVG = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E";

/** Redoc's bundle, made safe to inline and to open offline. */
async function redocBundle(): Promise<string> {
  const bundle = await readFile(REDOC_BUNDLE, 'utf8');
  if (!bundle.includes(CDN_LOGO)) throw new Error(`${REDOC_BUNDLE}: the CDN logo moved; check the offline docs test`);
  return bundle.replaceAll(CDN_LOGO, EMPTY_SVG).replace(/<\/script/gi, '<\\/script');
}

/**
 * The page's Content-Security-Policy. Script runs only from the page's own inline scripts, each
 * allowed by its hash: no 'unsafe-inline' (an event handler or `javascript:` link that got into a
 * description stays inert), no 'unsafe-eval' (Redoc renders without it; its search worker
 * starts from a blob: URL). No request leaves the page, no form posts, no <base> moves links.
 * (`navigate-to` would bound navigations too, but no browser implements it: with no script of
 * the spec's running, what is left is a link the reader clicks.)
 */
function contentSecurityPolicy(scriptHashes: readonly string[]): string {
  return [
    "default-src 'none'",
    `script-src ${scriptHashes.length > 0 ? scriptHashes.join(' ') : "'none'"}`,
    // Redoc's styled-components inject <style> elements at run time.
    "style-src 'unsafe-inline'",
    'img-src data:',
    'font-src data:',
    'worker-src blob:',
    "connect-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const REDOC_OPTIONS = {
  // Specs come from many hands: Redoc runs every description's HTML and Markdown through
  // DOMPurify, so script in a description is removed, not rendered.
  sanitize: true,
  // Every response of every operation, open: the page is a reference, not a tour.
  expandResponses: 'all',
  jsonSampleExpandLevel: 3,
  hideDownloadButtons: true,
  hideHostname: false,
  nativeScrollbars: true,
  pathInMiddlePanel: true,
};

interface InlineScript {
  html: string;
  /** Its CSP source expression, `'sha256-…'`. */
  hash: string;
}

/**
 * A <script> element with `text`, and the hash the CSP allows it by. The browser hashes the text
 * after the HTML parser turned CR LF and CR into LF: the text is written that way already.
 */
function inlineScript(text: string): InlineScript {
  const normalized = text.replace(/\r\n?/g, '\n');
  const digest = createHash('sha256').update(normalized, 'utf8').digest('base64');
  return { html: `<script>${normalized}</script>`, hash: `'sha256-${digest}'` };
}

/** Text for an inline <script>: JSON cannot close the element or start a comment. */
function inlineJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, head: string, body: string, scripts: readonly InlineScript[] = []): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(scripts.map((script) => script.hash))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
${head}
</head>
<body>
${body}
${scripts.map((script) => script.html).join('\n')}
</body>
</html>
`;
}

export interface DocsPage {
  api: string;
  title: string;
  version: string;
  /** File name inside the output folder. */
  file: string;
}

/** The spec of an API, linted and bundled into one document. */
async function bundledSpec(api: ApiEntry, registry: Registry): Promise<Record<string, unknown>> {
  const { parsed } = await lintAndBundle(api, registry);
  if (!isRecord(parsed)) throw new Error(`${api.root}: not an object`);
  return parsed;
}

/**
 * Writes one self-contained reference page per API of the registry, and an index page linking
 * them, into `outDir`. Returns the pages written.
 */
export async function buildDocs(registry: Registry, apis: readonly ApiEntry[], outDir: string): Promise<DocsPage[]> {
  const redoc = await redocBundle();
  await mkdir(outDir, { recursive: true });
  const pages: DocsPage[] = [];
  for (const api of apis) {
    const spec = await bundledSpec(api, registry);
    const info = isRecord(spec['info']) ? spec['info'] : {};
    const title = typeof info['title'] === 'string' ? info['title'] : api.name;
    const version = typeof info['version'] === 'string' ? info['version'] : '';
    const file = `${api.name}.html`;
    const scripts = [
      inlineScript(redoc),
      inlineScript(`Redoc.init(${inlineJson(spec)}, ${JSON.stringify(REDOC_OPTIONS)}, document.getElementById('redoc'));`),
    ];
    const html = page(`${title} — API reference`, '<style>body{margin:0}</style>', '<div id="redoc"></div>', scripts);
    await writeFile(path.join(outDir, file), html);
    pages.push({ api: api.name, title, version, file });
  }
  const items = pages
    .map(
      (p) =>
        `  <li><a href="${escapeHtml(p.file)}">${escapeHtml(p.title)}</a> <small>${escapeHtml(p.version)} · ${escapeHtml(p.api)}</small></li>`,
    )
    .join('\n');
  const style =
    '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}li{margin:.5rem 0}small{color:#666}</style>';
  await writeFile(
    path.join(outDir, 'index.html'),
    page('vmtasks API reference', style, `<h1>vmtasks API reference</h1>\n<ul>\n${items}\n</ul>`),
  );
  return pages;
}
