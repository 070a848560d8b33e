import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONV_CASES, convCaseName, relativeError } from '../../testing/conv-cases.ts';
import type { CpuEngine } from '../engine.ts';
import { convReference, type ConvReference } from '../testing/conv-reference.ts';
import { createTestEngine, type TestHeap } from '../testing/node-engine.ts';
import { TEST_VARIANTS } from '../testing/variants.ts';
import { conv2dBackpropFilter, conv2dBackpropInput, conv2dForward } from './conv.ts';

/** Worst error per kernel over every case and variant, printed at the end. */
const worst = { forward: 0, input: 0, filter: 0 };
const references = new Map<number, ConvReference>();

beforeAll(async () => {
  for (const [i, c] of CONV_CASES.entries()) references.set(i, await convReference(c));
});

afterAll(() => {
  const n = CONV_CASES.length * TEST_VARIANTS.length;
  console.log(
    `CPU kernels vs tfjs cpu over ${CONV_CASES.length} shapes x ${TEST_VARIANTS.length} variants (${n} each): ` +
      `forward ${worst.forward.toExponential(2)}, input gradient ${worst.input.toExponential(2)}, filter gradient ${worst.filter.toExponential(2)}`,
  );
});

describe.each(TEST_VARIANTS)('convolutions on the CPU kernels, $name', ({ threads, fma }) => {
  let engine: CpuEngine;
  let heap: TestHeap;
  beforeAll(async () => ({ engine, heap } = await createTestEngine({ threads, fma })));
  afterAll(() => engine.dispose());

  /** Copies `values` into the engine's memory. */
  const put = (values: Float32Array): number => {
    const at = heap.malloc(values.length * 4);
    engine.floats().set(values, at / 4);
    return at;
  };
  /** `length` floats at `at`, poisoned first with NaN so that an unwritten value shows. */
  const output = (length: number): number => {
    const at = heap.malloc(length * 4);
    engine.floats().fill(NaN, at / 4, at / 4 + length);
    return at;
  };
  const read = (at: number, length: number): Float32Array => engine.floats().slice(at / 4, at / 4 + length);

  it.each(CONV_CASES.map((c, i) => [convCaseName(c), i] as const))('%s: forward, input and filter gradients equal tfjs cpu', (_name, i) => {
    const r = references.get(i)!;
    const g = r.geometry;
    const mark = heap.mark;
    const [x, w, dy] = [put(r.x), put(r.w), put(r.dy)];
    // A sentinel after each output: a kernel that writes past its end fails the test.
    const [y, dx, dw] = [output(r.y.length + 16), output(r.dx.length + 16), output(r.dw.length + 16)];
    conv2dForward(engine, g, x, w, y);
    conv2dBackpropInput(engine, g, dy, w, dx);
    conv2dBackpropFilter(engine, g, x, dy, dw);
    const errors = {
      forward: relativeError(read(y, r.y.length), r.y),
      input: relativeError(read(dx, r.dx.length), r.dx),
      filter: relativeError(read(dw, r.dw.length), r.dw),
    };
    for (const [out, length] of [
      [y, r.y.length],
      [dx, r.dx.length],
      [dw, r.dw.length],
    ] as const)
      expect(read(out + length * 4, 16).every(Number.isNaN), 'a kernel wrote past its output').toBe(true);
    heap.reset(mark);
    for (const k of ['forward', 'input', 'filter'] as const) {
      worst[k] = Math.max(worst[k], errors[k]);
      expect(errors[k], k).toBeLessThan(2e-6);
    }
  });
});

describe('determinism', () => {
  it('gives bit-identical results on 1, 2 and 3 threads', async () => {
    const results: Float32Array[][] = [];
    const r = references.get(CONV_CASES.length - 2)!;
    for (const threads of [1, 2, 3]) {
      const { engine, heap } = await createTestEngine({ threads, fma: true });
      const put = (values: Float32Array): number => {
        const at = heap.malloc(values.length * 4);
        engine.floats().set(values, at / 4);
        return at;
      };
      const [x, w, dy] = [put(r.x), put(r.w), put(r.dy)];
      const [y, dx, dw] = [heap.malloc(r.y.length * 4), heap.malloc(r.dx.length * 4), heap.malloc(r.dw.length * 4)];
      conv2dForward(engine, r.geometry, x, w, y);
      conv2dBackpropInput(engine, r.geometry, dy, w, dx);
      conv2dBackpropFilter(engine, r.geometry, x, dy, dw);
      const f = engine.floats();
      results.push([f.slice(y / 4, y / 4 + r.y.length), f.slice(dx / 4, dx / 4 + r.dx.length), f.slice(dw / 4, dw / 4 + r.dw.length)]);
      engine.dispose();
    }
    for (const other of results.slice(1)) other.forEach((values, k) => expect(values).toEqual(results[0]![k]));
  });
});
