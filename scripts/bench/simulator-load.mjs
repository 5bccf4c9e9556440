// The load side of row 7, in a process of its own like the simulator: the bench's own process
// carries the heap of every earlier row, and its garbage collection paused these clients (the
// row read half the rate it reads alone). Arguments: url, seconds, reps; the session id comes in
// SNAPSERVICE_SESSION_ID. Prints JSON.
import { Agent, request } from 'undici';

const [url, seconds, reps] = process.argv.slice(2);
// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by the bench for this child process; no turbo task reads it
const sessionId = process.env.SNAPSERVICE_SESSION_ID ?? '';
const dispatcher = new Agent({ connections: 10 });
const get = async () => {
  const response = await request(url, { headers: { 'vmware-api-session-id': sessionId }, dispatcher });
  const body = await response.body.arrayBuffer();
  if (response.statusCode !== 200) throw new Error(`the simulator answered ${response.statusCode}`);
  return body.byteLength;
};
const bytes = await get();
const samples = [];
for (let r = 0; r < Number(reps); r++) {
  const deadline = performance.now() + Number(seconds) * 1000;
  let done = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      await get();
      done++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: 10 }, worker));
  samples.push(done / ((performance.now() - started) / 1000));
}
await dispatcher.close();
console.log(JSON.stringify({ bytes, samples }));
