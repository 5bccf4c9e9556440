// A ~2 KB ListResult for every request, from a process of its own so that serving does not
// share the client's event loop. Tells its parent the port it got.
import { createServer } from 'node:http';

const info = (i) => ({
  description: {
    id: 'com.vmware.snapservice.protection_group.snapshot',
    default_message: 'Take snapshot of protection group {0}',
    args: [`pg-${i}`],
  },
  service: 'com.vmware.snapservice.protection_group',
  operation: 'snapshot',
  status: 'RUNNING',
  cancelable: true,
  progress: { total: 100, completed: 10 * i, message: { id: 'progress', default_message: 'Snapshotting {0}', args: [`vm-${i}`] } },
  target: { type: 'com.vmware.snapservice.protection_group', id: `pg-${i}` },
  start_time: '2024-05-02T08:15:00Z',
  user: 'VSPHERE.LOCAL\\Administrator',
});
const body = JSON.stringify({
  items: Array.from({ length: 4 }, (_, i) => ({ task: `task-${i}:com.vmware.snapservice.protection_group`, info: info(i) })),
});
const server = createServer((request, response) => {
  request.resume();
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.(server.address().port));
process.on('disconnect', () => process.exit(0));
