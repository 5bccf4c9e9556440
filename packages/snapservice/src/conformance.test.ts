// The transport's conformance suite (testkit) run against the Snapservice client; what is
// specific to the vAPI stays in hostile.test.ts.
import { describeTransportConformance } from '@vmtasks/testkit/conformance';
import * as api from './index.js';

const SESSION = 'sess-7f3a9c2e-long-lived';
const HEADER_TOKEN = 'hdr-tok-55aa77';

describeTransportConformance({
  name: 'snapservice',
  makeClient: (serverUrl, { secret, ...options }) =>
    api.createSnapserviceClient({
      baseUrl: serverUrl,
      sessionId: secret ?? SESSION,
      headers: { 'x-auth-token': HEADER_TOKEN },
      ...options,
    }),
  call: (client, options) => client.listTasks({ services: ['svc'] }, options),
  rawGet: (client, options) => client.raw.GET('/api/snapservice/tasks', options),
  callPath: '/api/snapservice/tasks?services=svc',
  callOperation: 'listTasks',
  rawOperation: 'GET /api/snapservice/tasks',
  okBody: { items: [] },
  errorBody: (message) => ({ error_type: 'ERROR', messages: [{ id: 'conformance', default_message: message, args: [] }] }),
  errorFields: { errorType: 'ERROR' },
  credentialHeader: 'vmware-api-session-id',
  secret: SESSION,
  sentForms: () => [],
  otherSecrets: [HEADER_TOKEN],
  apiError: api.SnapserviceError,
  errors: api,
});
