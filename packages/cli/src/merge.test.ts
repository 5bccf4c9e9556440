import { expect, it } from 'vitest';
import { mergeTagged } from './merge.js';

async function* numbers(values: number[], onReturn: () => void, failAt?: number): AsyncGenerator<number> {
  try {
    for (const value of values) {
      await new Promise((resolve) => setImmediate(resolve));
      if (value === failAt) throw new Error(`boom at ${value}`);
      yield value;
    }
  } finally {
    onReturn();
  }
}

it('yields every value of every source, tagged', async () => {
  const seen: string[] = [];
  for await (const { tag, value } of mergeTagged([
    ['a', numbers([1, 2, 3], () => {})],
    ['b', numbers([10, 20], () => {})],
  ] as const)) seen.push(`${tag}${value}`);
  expect(seen.sort()).toEqual(['a1', 'a2', 'a3', 'b10', 'b20']);
});

it('stops every source when the loop ends early, and passes on a source error', async () => {
  const returned: string[] = [];
  for await (const { value } of mergeTagged([
    ['a', numbers([1, 2, 3, 4], () => returned.push('a'))],
    ['b', numbers([10, 20, 30], () => returned.push('b'))],
  ])) {
    if (value === 2) break;
  }
  expect(returned.sort()).toEqual(['a', 'b']);

  const failing = mergeTagged([
    ['a', numbers([1, 2, 3], () => returned.push('a2'), 2)],
    ['b', numbers([10, 20, 30, 40, 50], () => returned.push('b2'))],
  ]);
  await expect(async () => {
    for await (const _ of failing);
  }).rejects.toThrow('boom at 2');
  expect(returned).toContain('b2');
});
