/**
 * Interleaves several async iterables in arrival order, each value tagged with its source.
 * Ending the loop early (break, throw) returns every source, which stops their polling; the
 * first source to throw ends the merge with its error. Small enough not to need a library.
 */
export async function* mergeTagged<Tag, T>(sources: ReadonlyArray<readonly [Tag, AsyncIterable<T>]>): AsyncGenerator<{ tag: Tag; value: T }> {
  const iterators = sources.map(([tag, iterable]) => ({ tag, iterator: iterable[Symbol.asyncIterator]() }));
  type Next = { index: number; result: IteratorResult<T> };
  const pending = new Map<number, Promise<Next>>();
  const pull = (index: number): void => {
    pending.set(
      index,
      iterators[index]!.iterator.next().then((result) => ({ index, result })),
    );
  };
  iterators.forEach((_, index) => pull(index));
  try {
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(index);
        continue;
      }
      pull(index);
      yield { tag: iterators[index]!.tag, value: result.value };
    }
  } finally {
    // A source still fetching when the merge ends may fail later (aborted): nobody waits for it.
    for (const next of pending.values()) next.catch(() => {});
    await Promise.allSettled(iterators.map(({ iterator }) => iterator.return?.()));
  }
}
