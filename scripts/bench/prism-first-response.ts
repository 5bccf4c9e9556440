// Child process of the mock benchmark: a fresh process (nothing cached) starts Prism for one
// API and prints the time from start to the first response that the client decodes. Prism's
// libraries are loaded first: loading them is the whole-process row's part, not Prism's start.
import { createSnapserviceClient } from '@vmtasks/snapservice';
import { preloadPrism, startPrism, specOf } from '@vmtasks/testkit';
import { createVelostrataClient } from '@vmtasks/velostrata';

const api = process.argv[2] ?? 'snapservice';
const spec = await specOf(api);
await preloadPrism();
const started = performance.now();
const prism = await startPrism({ spec });
const listening = performance.now() - started;
const result =
  api === 'velostrata'
    ? await createVelostrataClient({ baseUrl: prism.url, password: 'bench', retry: false }).listActiveTasks()
    : await createSnapserviceClient({ baseUrl: prism.url, sessionId: 'bench', retry: false }).listTasks({
        services: ['com.vmware.snapservice.protection_group'],
      });
const firstResponse = performance.now() - started;
await prism.close();
if (typeof result !== 'object' || result === null) throw new Error('no decoded result');
console.log(JSON.stringify({ listening, firstResponse }));
