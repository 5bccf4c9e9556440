// One 'abort' listener per caller signal, however many calls share it: many concurrent calls on
// one AbortSignal would otherwise each add a listener, and Node warns
// (MaxListenersExceededWarning) past ten. Calls subscribe here instead.
const subscribers = new WeakMap<AbortSignal, Set<() => void>>();

/** Runs `listener` once when `signal` aborts; the returned function unsubscribes. */
export function onAbort(signal: AbortSignal, listener: () => void): () => void {
  let listeners = subscribers.get(signal);
  if (!listeners) {
    const fresh = new Set<() => void>();
    listeners = fresh;
    subscribers.set(signal, fresh);
    signal.addEventListener(
      'abort',
      () => {
        subscribers.delete(signal);
        for (const each of fresh) each();
      },
      { once: true },
    );
  }
  const set = listeners;
  set.add(listener);
  return () => void set.delete(listener);
}

/** Waits `ms`, or rejects with `false` as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(false);
    const unsubscribe = signal
      ? onAbort(signal, () => {
          clearTimeout(timer);
          reject(false);
        })
      : undefined;
    const timer = setTimeout(() => {
      unsubscribe?.();
      resolve();
    }, ms);
  });
}
