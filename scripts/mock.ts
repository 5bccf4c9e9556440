// `npm run mock`: a Prism mock of every API of redocly.yaml, for trying the clients by hand.
// Ports are free ones the OS picks unless given: npm run mock -- --port velostrata=4010 --port snapservice=4011
import { parseArgs } from 'node:util';
import { documentedResponses, loadRegistry } from '@vmtasks/spec-toolchain';
import { startPrism, type PrismServer } from '@vmtasks/testkit';

function usage(message: string): never {
  console.error(`${message}\nusage: npm run mock -- [--port <api>=<port> ...]   (mocks listen on 127.0.0.1)`);
  process.exit(2);
}

let values: { port?: string[] };
try {
  ({ values } = parseArgs({ options: { port: { type: 'string', multiple: true } } }));
} catch (error) {
  usage(error instanceof Error ? error.message : String(error));
}
const registry = await loadRegistry();
const ports = new Map<string, number>();
for (const option of values.port ?? []) {
  const [api = '', port = ''] = option.split('=');
  if (!registry.apis.some((entry) => entry.name === api) || !/^\d+$/.test(port)) {
    usage(`--port ${option}: expected <api>=<port> with <api> one of ${registry.apis.map((entry) => entry.name).join(', ')}`);
  }
  ports.set(api, Number(port));
}

const servers: PrismServer[] = [];
let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled(servers.map((server) => server.close()));
  console.log('\nmocks stopped');
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

try {
  const lines = ['Prism mocks (request and response validation on, errors: true):', ''];
  for (const api of registry.apis) {
    const server = await startPrism({ spec: api.root, port: ports.get(api.name) ?? 0 });
    servers.push(server);
    const operations = new Set((await documentedResponses(api.root)).map((r) => `${r.method.toUpperCase()} ${server.url}${r.path}`));
    lines.push(`  ${api.name.padEnd(14)}${server.url}`, ...[...operations].map((operation) => `    ${operation}`), '');
  }
  lines.push(
    "  Pick a documented response with a Prefer header: 'Prefer: code=503', 'Prefer: example=<name>',",
    "  'Prefer: dynamic=true'. Ctrl-C stops them all.",
  );
  console.log(lines.join('\n'));
} catch (error) {
  console.error(`could not start the mocks: ${error instanceof Error ? error.message : String(error)}`);
  await Promise.allSettled(servers.map((server) => server.close()));
  process.exit(1);
}
