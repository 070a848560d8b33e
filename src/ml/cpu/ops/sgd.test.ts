import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../shared/random.ts';
import type { CpuEngine } from '../engine.ts';
import { engineMemory, type EngineMemory } from '../testing/engine-memory.ts';
import { createTestEngine, type TestHeap } from '../testing/node-engine.ts';
import { TEST_VARIANTS } from '../testing/variants.ts';
import { sgdMomentumStep } from './sgd.ts';

/** PyTorch's torch.optim.SGD step (dampening 0), in float64: d = g + wd·p; v = first ? d : μv + d; p −= lr·v. */
function referenceStep(p: Float32Array, g: Float32Array, v: Float32Array, lr: number, mu: number, wd: number, first: boolean): void {
  for (let i = 0; i < p.length; i++) {
    const d = g[i]! + wd * p[i]!;
    if (mu !== 0) v[i] = first ? d : mu * v[i]! + d;
    p[i] = p[i]! - lr * (mu !== 0 ? v[i]! : d);
  }
}

// Lengths that split unevenly across threads, shorter than a SIMD width, and one long.
const LENGTHS = [3, 1, 17, 64, 1000, 5];

describe.each(TEST_VARIANTS)('SGD on the CPU kernels, $name', ({ threads, fma }) => {
  let engine: CpuEngine;
  let heap: TestHeap;
  let mem: EngineMemory;
  beforeAll(async () => {
    ({ engine, heap } = await createTestEngine({ threads, fma }));
    mem = engineMemory(engine, heap);
  });
  afterAll(() => engine.dispose());

  it.each([
    [0.9, 0],
    [0.9, 5e-4],
    [0, 1e-3],
    [0, 0],
  ])('momentum %f, weight decay %f: three steps equal PyTorch’s update, inputs untouched', (mu, wd) => {
    const mark = heap.mark;
    const params = LENGTHS.map((n, i) => mulberry32(10 + i).uniform(n, -1, 1));
    const velocity = LENGTHS.map((n) => new Float32Array(n));
    // Each step reads the previous step's outputs, as the optimizer's variables do.
    let at = LENGTHS.map((n, i) => ({ param: mem.put(params[i]!), velocity: mem.output(n) }));
    for (let step = 0; step < 3; step++) {
      const grads = LENGTHS.map((n, i) => mulberry32(100 * step + i).uniform(n, -1, 1));
      const next = LENGTHS.map((n) => ({ param: mem.output(n), velocity: mem.output(n) }));
      const before = at.map((a, i) => mem.read(a.param, LENGTHS[i]!));
      // prettier-ignore
      const slots = LENGTHS.map((n, i) => ({
        param: at[i]!.param, grad: mem.put(grads[i]!), velocity: at[i]!.velocity,
        newParam: next[i]!.param, newVelocity: next[i]!.velocity, length: n,
      }));
      sgdMomentumStep(engine, slots, { lr: 0.1, momentum: mu, weightDecay: wd, first: step === 0 });
      at.forEach((a, i) => expect(mem.read(a.param, LENGTHS[i]!)).toEqual(before[i]));
      LENGTHS.forEach((_, i) => referenceStep(params[i]!, grads[i]!, velocity[i]!, 0.1, mu, wd, step === 0));
      at = next;
    }
    at.forEach((a, i) => {
      mem.read(a.param, LENGTHS[i]!).forEach((v, k) => expect(v).toBeCloseTo(params[i]![k]!, 5));
      if (mu !== 0) mem.read(a.velocity, LENGTHS[i]!).forEach((v, k) => expect(v).toBeCloseTo(velocity[i]![k]!, 5));
    });
    heap.reset(mark);
  });
});
