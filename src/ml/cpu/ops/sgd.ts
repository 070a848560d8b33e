/** SGD with momentum on the CPU kernels (assembly/sgd.ts): one in-place pass over a parameter group. */
import type { CpuEngine } from '../engine.ts';

/** One parameter's buffers in the engine's memory: param, gradient and momentum pointers, and its length in floats. */
export interface SgdSlot {
  readonly param: number;
  readonly grad: number;
  /** Momentum buffer (ignored with momentum 0). */
  readonly velocity: number;
  readonly length: number;
}

/** PyTorch's update for a group sharing one learning rate: d = g + wd·p; v = first ? d : μ·v + d; p −= lr·v. */
export function sgdMomentumStep(
  engine: CpuEngine,
  slots: readonly SgdSlot[],
  hyper: { readonly lr: number; readonly momentum: number; readonly weightDecay: number; readonly first: boolean },
): void {
  if (slots.length === 0) return;
  engine.withBuffers([slots.length * 16], ([table]) => {
    const words = new Uint32Array(engine.memory.buffer, table!, slots.length * 4);
    slots.forEach((s, i) => words.set([s.param, s.grad, s.velocity, s.length], i * 4));
    engine.run('sgdMomentum', [table!, slots.length, hyper.lr, hyper.momentum, hyper.weightDecay, hyper.first ? 1 : 0]);
  });
}
