import { redoclyCore } from '../deps.js';
import { renderTypes } from '../generate.js';
import { isRecord, type ApiEntry, type Registry } from '../registry.js';

/** One side of the comparison: the spec as one resolved document, and the types generated from it. */
export interface ApiSnapshot {
  document: Record<string, unknown>;
  types: string;
}

let bundleConfig: ReturnType<typeof redoclyCore.createConfig> | undefined;

/** Reads and resolves `api`'s spec (external $refs pulled in) and renders its types, as `npm run generate` would. */
export async function snapshotApi(api: ApiEntry, registry: Registry): Promise<ApiSnapshot> {
  const types = await renderTypes(api, registry);
  bundleConfig ??= redoclyCore.createConfig({});
  const { bundle } = await redoclyCore.bundle({ ref: api.root, config: await bundleConfig });
  const document: unknown = bundle.parsed;
  if (!isRecord(document)) throw new Error(`${api.root}: not an OpenAPI document`);
  return { document, types };
}
