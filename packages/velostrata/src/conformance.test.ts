// The transport's conformance suite (testkit) run against the Velostrata client, whose credential
// is a Basic password; what is specific to Velostrata stays in hostile.test.ts.
import { describeTransportConformance } from '@vmtasks/testkit/conformance';
import * as api from './index.js';

const PASSWORD = 'sub-0f1e2d3c-4b5a';

describeTransportConformance({
  name: 'velostrata',
  makeClient: (serverUrl, { secret, ...options }) =>
    api.createVelostrataClient({ baseUrl: `${serverUrl}/velostrata/api/v42`, password: secret ?? PASSWORD, ...options }),
  call: (client, options) => client.listActiveTasks(options),
  rawGet: (client, options) => client.raw.GET('/tasks', options),
  callPath: '/velostrata/api/v42/tasks',
  callOperation: 'getActiveTasks',
  rawOperation: 'GET /tasks',
  okBody: { content: [] },
  errorBody: (message) => ({ message }),
  credentialHeader: 'authorization',
  secret: PASSWORD,
  sentForms: (password) => [Buffer.from(`apiuser:${password}`).toString('base64')],
  apiError: api.VelostrataError,
  errors: api,
});
