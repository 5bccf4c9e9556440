// The simulator in a process of its own (as a real appliance would be), with 1,000 snapshot tasks
// part-way through their wave. Tells its parent the snapservice URL and session id.
import { startSimulator } from '@vmtasks/simulator';

const sim = await startSimulator({ clock: 'manual', seed: 1, size: { vms: 0, snapshots: 1000 } });
await sim.advance(20 * 60_000);
process.send?.({ url: sim.snapservice.url, sessionId: sim.snapservice.sessionId });
process.on('disconnect', () => void sim.stop().then(() => process.exit(0)));
