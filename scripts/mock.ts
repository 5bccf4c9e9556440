// `npm run mock`: Prism mocks of both APIs, for trying the clients by hand.
// Ports are free ones the OS picks unless given: npm run mock -- --velostrata-port 4010 --snapservice-port 4011
import { parseArgs } from 'node:util';
import { startPrism, specOf, type PrismServer } from '@vmtasks/testkit';
import { stopWithParent } from './stop-with-parent.js';

const { values } = parseArgs({
  options: {
    'velostrata-port': { type: 'string', default: '0' },
    'snapservice-port': { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});

const servers: PrismServer[] = [];
async function stop(): Promise<void> {
  await Promise.allSettled(servers.map((server) => server.close()));
  console.log('\nmocks stopped');
  process.exit(0);
}
stopWithParent(stop);

try {
  const velostrata = await startPrism({ spec: await specOf('velostrata'), port: Number(values['velostrata-port']) });
  servers.push(velostrata);
  const snapservice = await startPrism({ spec: await specOf('snapservice'), port: Number(values['snapservice-port']) });
  servers.push(snapservice);
  console.log(`Prism mocks (request and response validation on, errors: true):

  velostrata   ${velostrata.url}
    createVelostrataClient({ baseUrl: '${velostrata.url}', password: 'any' })
    curl -u apiuser:any ${velostrata.url}/tasks

  snapservice  ${snapservice.url}
    createSnapserviceClient({ baseUrl: '${snapservice.url}', sessionId: 'any' })
    curl -H 'vmware-api-session-id: any' '${snapservice.url}/api/snapservice/tasks?status=RUNNING'

  Pick a documented response with a Prefer header: 'Prefer: code=503', 'Prefer: example=failedTask',
  'Prefer: dynamic=true'. Ctrl-C stops both.`);
} catch (error) {
  console.error(`could not start the mocks: ${error instanceof Error ? error.message : String(error)}`);
  await Promise.allSettled(servers.map((server) => server.close()));
  process.exit(1);
}
