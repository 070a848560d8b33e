/**
 * Seeded pseudo-random numbers for everything the training run draws (shuffle order, augmentation
 * parameters), so two regimes see the same data in the same order and a run can be repeated. The
 * generator itself (mulberry32, permutations) lives in `shared/random.ts`.
 */
import type { Random } from '../../shared/random.ts';

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
