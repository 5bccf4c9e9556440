/**
 * Makes a long-running script (`npm run mock`) stop its servers when whoever started it wants it
 * gone: on SIGINT, SIGTERM or SIGHUP, and also when its parent process disappears.
 *
 * The parent check is what makes `kill -TERM <npm>` work: npm runs a script through `sh -c`
 * and signals only that shell, which exits without passing the signal on, leaving the script
 * running under a new parent. Node has no parent-death signal (Linux's PR_SET_PDEATHSIG) and no
 * maintained package offers one, hence this small poll of `process.ppid` (live in Node).
 */
export function stopWithParent(stop: () => Promise<void>, { pollMs = 200 } = {}): void {
  const parent = process.ppid;
  let stopping = false;
  const stopOnce = (): void => {
    if (stopping) return;
    stopping = true;
    clearInterval(watch);
    void stop();
  };
  const watch = setInterval(() => {
    if (process.ppid !== parent) stopOnce();
  }, pollMs);
  watch.unref(); // the servers keep the process alive, not the watch
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stopOnce);
}
