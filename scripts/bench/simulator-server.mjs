// The simulator in a process of its own (as a real appliance would be), with 1,000 snapshot tasks
// part-way through their wave; beside it, in the same process, a plain node:http server answering
// every request with the simulator's own answer, as bytes prepared once: the reference row 7 is
// compared with. Tells its parent both URLs and the session id.
import { createServer } from 'node:http';
import { startSimulator } from '@vmtasks/simulator';

const sim = await startSimulator({ clock: 'manual', seed: 1, size: { vms: 0, snapshots: 1000 } });
await sim.advance(20 * 60_000);
const path = '/api/snapservice/tasks?services=com.vmware.snapservice.protection_group';
const answer = await fetch(`${sim.snapservice.url}${path}`, { headers: { 'vmware-api-session-id': sim.snapservice.sessionId } });
const body = Buffer.from(await answer.arrayBuffer());
const reference = createServer((request, response) => {
  request.resume();
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  response.end(body);
});
await new Promise((resolve) => reference.listen(0, '127.0.0.1', resolve));
process.send?.({
  simulatorUrl: `${sim.snapservice.url}${path}`,
  referenceUrl: `http://127.0.0.1:${reference.address().port}${path}`,
  sessionId: sim.snapservice.sessionId,
});
process.on('disconnect', () => {
  reference.close();
  void sim.stop().then(() => process.exit(0));
});
