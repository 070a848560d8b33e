/**
 * Seeded pseudo-random numbers for everything the training run draws (shuffle order, augmentation
 * parameters), so two regimes see the same data in the same order and a run can be repeated.
 */

import { mulberry32 } from '../prng.ts';

/** A stream of uniform numbers in [0, 1). */
export type Random = () => number;

/** A seeded stream (mulberry32, the same generator the golden data uses). */
export function createRandom(seed: number): Random {
  return mulberry32(seed).next;
}

/**
 * Derives an independent seed from a base seed and a path of integers (e.g. `[epoch, batch]`),
 * so that stream k does not depend on how many numbers stream k−1 consumed.
 */
export function deriveSeed(seed: number, ...path: readonly number[]): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const part of path) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}

/** Uniform integer in [low, high) — torch.randint semantics. */
export function randomInt(random: Random, low: number, high: number): number {
  return low + Math.floor(random() * (high - low));
}

/** Fisher–Yates permutation of 0..n−1. */
export function permutation(n: number, random: Random): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = order[i] as number;
    order[i] = order[j] as number;
    order[j] = tmp;
  }
  return order;
}
