// A spec whose every description carries markup that runs script, navigates or loads something
// when a page renders it unsanitized or under a CSP that allows inline script. Each payload that
// runs records its name in `window.__pwned`, changes the title, raises a dialog and sends the page
// to `trap` (a server of the test's that counts visits): whichever one happens, the test sees it.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseYaml } from '@redocly/openapi-core';
import { isRecord } from '../src/registry.js';

export const PWNED_TITLE = 'pwned';

/** Script that records `name` and then does everything a hostile description would want. */
function act(name: string, trap: string): string {
  return `(window.__pwned=window.__pwned||[]).push('${name}');document.title='${PWNED_TITLE}';alert('${name}');location='${trap}/${name}'`;
}

/** Text to click on: the links of the payloads that run only when clicked. */
export const CLICK_TEXT = 'pwn-click';

export function payloads(trap: string): Record<string, string> {
  const attr = (name: string): string => act(name, trap).replaceAll('"', '&quot;');
  return {
    img: `<img src=x onerror="${attr('img')}">`,
    details: `<details open ontoggle="${attr('details')}"><summary>s</summary>d</details>`,
    svg: `<svg onload="${attr('svg')}"><circle r=1 /></svg>`,
    iframe: `<iframe srcdoc="<script>${act('iframe', trap).replaceAll('window.', 'parent.').replaceAll("location='", "top.location='").replaceAll('"', '&quot;')}</script>"></iframe>`,
    script: `<script>${act('script', trap)}</script>`,
    autofocus: `<input autofocus onfocus="${attr('autofocus')}">`,
    'markdown-link': `[${CLICK_TEXT} markdown](javascript:${encodeURI(act('markdown-link', trap)).replaceAll('(', '%28').replaceAll(')', '%29')})`,
    'html-link': `<a href="javascript:${attr('html-link')}">${CLICK_TEXT} html</a>`,
    refresh: `<meta http-equiv="refresh" content="0;url=${trap}/refresh">`,
    base: `<base href="${trap}/base/">`,
    object: `<object data="${trap}/object"></object><embed src="${trap}/embed">`,
    style: `<style>@import url(${trap}/style.css);</style><link rel=stylesheet href="${trap}/link.css">`,
    form: `<form action="${trap}/form"><button>${CLICK_TEXT} form</button></form>`,
    // Last: its <style> is never closed, and takes whatever follows it.
    mutation: `<math><mtext><table><mglyph><style><img src=x onerror="${attr('mutation')}">`,
  };
}

/** `description` + every payload, as separate paragraphs (markdown and raw HTML both). */
function poisoned(description: string, trap: string): string {
  return [description, ...Object.values(payloads(trap))].join('\n\n');
}

/** Every string `description` in the document gets the payloads appended, wherever it is. */
function poison(node: unknown, trap: string): unknown {
  if (Array.isArray(node)) return node.map((item) => poison(item, trap));
  if (!isRecord(node)) return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === 'description' && typeof value === 'string' ? poisoned(value, trap) : poison(value, trap),
    ]),
  );
}

/**
 * Writes `from` (a spec of the repository) with every description poisoned, and a redocly.yaml
 * with the repository's rules listing it as the one API `hostile`, into `dir`. Returns the
 * config's path. JSON is YAML: both files are written as JSON.
 */
export async function writeHostileApi(dir: string, from: string, repoConfig: string, trap: string): Promise<string> {
  const spec = poison(parseYaml(await readFile(from, 'utf8')), trap);
  const specPath = path.join(dir, 'specs/hostile/openapi.yaml');
  await mkdir(path.dirname(specPath), { recursive: true });
  await writeFile(specPath, JSON.stringify(spec, null, 2));
  const config = parseYaml(await readFile(repoConfig, 'utf8'));
  const configPath = path.join(dir, 'redocly.yaml');
  const apis = { hostile: { root: 'specs/hostile/openapi.yaml', 'x-openapi-ts': { output: 'generated/hostile.ts' } } };
  await writeFile(configPath, JSON.stringify({ ...(isRecord(config) ? config : {}), apis }, null, 2));
  return configPath;
}
