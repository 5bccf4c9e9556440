// The load side of row 7, in a process of its own like the simulator: the bench's own process
// carries the heap of every earlier row, and its garbage collection paused these clients (the
// row read half the rate it reads alone). Arguments: simulator URL, reference URL, seconds, reps;
// the session id comes in SNAPSERVICE_SESSION_ID. The two servers are loaded in turn, the order
// alternating, so a slow moment of the machine falls on both. Prints JSON.
import { Agent, request } from 'undici';

const [simulatorUrl, referenceUrl, seconds, reps] = process.argv.slice(2);
// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by the bench for this child process; no turbo task reads it
const sessionId = process.env.SNAPSERVICE_SESSION_ID ?? '';
const dispatcher = new Agent({ connections: 10 });
const get = async (url) => {
  const response = await request(url, { headers: { 'vmware-api-session-id': sessionId }, dispatcher });
  const body = await response.body.arrayBuffer();
  if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}`);
  return body.byteLength;
};
/** Requests a second over `seconds`, 10 clients on keep-alive connections reading each whole body. */
const throughput = async (url) => {
  const deadline = performance.now() + Number(seconds) * 1000;
  let done = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      await get(url);
      done++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: 10 }, worker));
  return done / ((performance.now() - started) / 1000);
};
const bytes = await get(simulatorUrl);
if ((await get(referenceUrl)) !== bytes) throw new Error('the reference server answers other bytes than the simulator');
// A short warm-up of each: connections opened, code optimized.
await throughput(simulatorUrl);
await throughput(referenceUrl);
const simulator = [];
const reference = [];
for (let r = 0; r < Number(reps); r++) {
  if (r % 2 === 0) {
    simulator.push(await throughput(simulatorUrl));
    reference.push(await throughput(referenceUrl));
  } else {
    reference.push(await throughput(referenceUrl));
    simulator.push(await throughput(simulatorUrl));
  }
}
await dispatcher.close();
console.log(JSON.stringify({ bytes, simulator, reference }));
