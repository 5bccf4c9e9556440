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

/** Waits `ms`, or rejects with `false` as soon as one of `signals` aborts; no timer is left behind either way. */
export function sleep(ms: number, ...signals: (AbortSignal | undefined)[]): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signals.some((signal) => signal?.aborted)) return reject(false);
    const unsubscribes: (() => void)[] = [];
    const end = (): void => {
      clearTimeout(timer);
      for (const unsubscribe of unsubscribes) unsubscribe();
    };
    for (const signal of signals) {
      if (signal)
        unsubscribes.push(
          onAbort(signal, () => {
            end();
            reject(false);
          }),
        );
    }
    const timer = setTimeout(() => {
      end();
      resolve();
    }, ms);
  });
}
