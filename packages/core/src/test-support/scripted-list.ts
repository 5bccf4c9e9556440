import type { RequestSummary } from '../errors.js';

/** A request summary for errors made in tests. */
export const TEST_REQUEST: RequestSummary = { operation: 'waitForTask', method: 'GET', url: 'http://127.0.0.1/tasks' };

/** One answer of a scripted list: a value, an error to throw, or a function of the call's signal. */
export type Answer<T> = T | Error | ((signal: AbortSignal) => Promise<T>);

/**
 * A list function that gives scripted answers in turn (the last one repeats) and records when
 * (clock time) each call was made and the signal it got.
 */
export function scriptedList<T>(answers: readonly Answer<T>[], now: () => number = Date.now) {
  const calls: { at: number; signal: AbortSignal }[] = [];
  const list = async (signal: AbortSignal): Promise<T> => {
    const answer = answers[Math.min(calls.length, answers.length - 1)];
    calls.push({ at: now(), signal });
    if (answer instanceof Error) throw answer;
    if (typeof answer === 'function') return (answer as (signal: AbortSignal) => Promise<T>)(signal);
    return answer as T;
  };
  return { list, calls };
}

/** A promise that never settles unless `signal` aborts (then it rejects with the reason). */
export function hangUntilAborted<T>(signal: AbortSignal): Promise<T> {
  return new Promise<T>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
}
