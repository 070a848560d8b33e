import { describe, expect, it } from 'vitest';
import { phaseTapCount, scatterPhase, swapOuter, transposeOuterInner, writePhaseTaps } from './wasm-heap-copies.ts';

const iota = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => i + 1);

describe('wasm heap copies', () => {
  it('transposeOuterInner: out[c, m, a] = x[a, m, c], across block edges', () => {
    const [a, m, c] = [37, 3, 41];
    const x = iota(a * m * c);
    const out = new Float32Array(x.length);
    transposeOuterInner(x, a, m, c, out);
    for (const [i, k, j] of [
      [0, 0, 0],
      [36, 2, 40],
      [33, 1, 5],
      [5, 0, 32],
    ] as const) {
      expect(out[(j * m + k) * a + i]).toBe(x[(i * m + k) * c + j]);
    }
    expect([...out].sort((p, q) => p - q)).toEqual([...x]);
  });

  it('swapOuter: out[m, a, :] = x[a, m, :]', () => {
    const x = iota(2 * 3 * 4);
    const out = new Float32Array(x.length);
    swapOuter(x, 2, 3, 4, out);
    expect([...out.subarray(4, 8)]).toEqual([...x.subarray(12, 16)]);
    expect([...out.subarray(20, 24)]).toEqual([...x.subarray(20, 24)]);
  });

  it('writePhaseTaps: the phase taps, rotated, in/out swapped', () => {
    const g = { kh: 3, kw: 3, ci: 2, co: 5, stride: 2 };
    const filter = iota(3 * 3 * 2 * 5);
    expect([phaseTapCount(3, 2, 0), phaseTapCount(3, 2, 1), phaseTapCount(1, 2, 1)]).toEqual([2, 1, 0]);
    const target = new Float32Array(2 * 1 * 5 * 2);
    writePhaseTaps(filter, g, 0, 1, target);
    // target[m, 0, o, i] = filter[2 * (1 - m), 1, i, o]
    for (let m = 0; m < 2; m++)
      for (let o = 0; o < 5; o++)
        for (let i = 0; i < 2; i++) expect(target[(m * 5 + o) * 2 + i]).toBe(filter[((2 * (1 - m) * 3 + 1) * 2 + i) * 5 + o]);
  });

  it('scatterPhase: rows and columns at stride s, offset, clipped to dx', () => {
    const phase = iota(1 * 2 * 2 * 1);
    const dx = new Float32Array(3 * 3);
    const axis = { count: 2, offset: -1, size: 3 };
    scatterPhase(phase, { batch: 1, channels: 1, stride: 2, rows: axis, cols: axis }, dx);
    // q = 0 lands at -1 (dropped), q = 1 at 1.
    expect([...dx]).toEqual([0, 0, 0, 0, 4, 0, 0, 0, 0]);
  });
});
