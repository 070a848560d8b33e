/**
 * Seeded randomness shared by the data layer (splits, the demo set), training (shuffles,
 * augmentation) and the golden tests: one generator, identical in every JS engine, so the same
 * seed gives the same split and the same batches in the browser and in Node.
 *
 * mulberry32 is also the generator that `scripts/golden/make_golden.py` re-implements bit for bit, so the
 * TypeScript tests can rebuild the exact weights and inputs the PyTorch golden run used.
 *
 * Algorithm (mulberry32): the uint32 state `a` starts at the seed; each draw does
 * `a += 0x6D2B79F5; t = a; t = (t ^ t>>>15) * (t | 1); t ^= t + (t ^ t>>>7) * (t | 61);
 * out = t ^ t>>>14`, everything modulo 2^32 (Math.imul is the low 32 bits of the product).
 * A uniform float32 in [lo, hi) is `Math.fround(lo + (hi - lo) * (out / 2^32))`: float64
 * arithmetic, then one round-to-nearest-even to float32, which numpy's astype(float32) also does.
 * Normal draws (Box–Muller) use Math.log/cos, which are not bit-reproducible across runtimes,
 * so the golden data uses uniform draws only.
 */
export interface Prng {
  /** Next raw draw, an integer in [0, 2^32). */
  nextUint32(): number;
  /** Next float64 in [0, 1), exactly `nextUint32() / 2^32`. */
  next(): number;
  /** Fills a new Float32Array with `n` uniform draws in [lo, hi), rounded as documented above. */
  uniform(n: number, lo: number, hi: number): Float32Array;
  /** `n` standard-normal draws (Box–Muller, deterministic in JS only), scaled by `std`. */
  normal(n: number, std: number): Float32Array;
}

const GOLDEN_RATIO_STEP = 0x6d2b79f5;
const TWO_POW_32 = 4294967296;

/** Creates a mulberry32 generator. Same seed, same sequence, on every JS engine. */
export function mulberry32(seed: number): Prng {
  let a = seed >>> 0;
  const nextUint32 = (): number => {
    a = (a + GOLDEN_RATIO_STEP) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = (): number => nextUint32() / TWO_POW_32;
  return {
    nextUint32,
    next,
    uniform(n, lo, hi) {
      const out = new Float32Array(n);
      const span = hi - lo;
      // Float32Array stores with round-to-nearest-even, the same as Math.fround.
      for (let i = 0; i < n; i++) out[i] = lo + span * next();
      return out;
    },
    normal(n, std) {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i += 2) {
        // 1 - u keeps the log argument in (0, 1].
        const r = Math.sqrt(-2 * Math.log(1 - next())) * std;
        const theta = 2 * Math.PI * next();
        out[i] = r * Math.cos(theta);
        if (i + 1 < n) out[i + 1] = r * Math.sin(theta);
      }
      return out;
    },
  };
}

/** A function returning uniform floats in [0, 1). */
export type Random = () => number;

/** A seeded stream of uniform floats in [0, 1): `mulberry32(seed).next`. */
export function createRandom(seed: number): Random {
  return mulberry32(seed).next;
}

/** Uniform float in [min, max). */
export function uniform(random: Random, min: number, max: number): number {
  return min + (max - min) * random();
}

/** Fisher–Yates shuffle in place (from the last element down), driven by `random`; returns `items`. */
export function shuffleInPlace<T, A extends { length: number; [index: number]: T }>(items: A, random: Random): A {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
  return items;
}

/** A seeded permutation of 0..n−1 (`shuffleInPlace` of the identity). */
export function permutation(n: number, random: Random): Int32Array {
  return shuffleInPlace<number, Int32Array>(
    Int32Array.from({ length: n }, (_, i) => i),
    random,
  );
}
