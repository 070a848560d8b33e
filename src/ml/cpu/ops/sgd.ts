/** SGD with momentum on the CPU kernels (assembly/sgd.ts): one pass over a parameter group, into fresh buffers. */
import type { CpuEngine } from '../engine.ts';

/** One parameter's buffers in the engine's memory: what it reads, where it writes, its length in floats. */
export interface SgdSlot {
  readonly param: number;
  readonly grad: number;
  /** Momentum buffer (ignored at the first step and with momentum 0). */
  readonly velocity: number;
  readonly newParam: number;
  /** Where the new momentum goes (ignored with momentum 0). */
  readonly newVelocity: number;
  readonly length: number;
}

/** PyTorch's update for a group sharing one learning rate: d = g + wd·p; v' = first ? d : μ·v + d; p' = p − lr·v'. */
export function sgdMomentumStep(
  engine: CpuEngine,
  slots: readonly SgdSlot[],
  hyper: { readonly lr: number; readonly momentum: number; readonly weightDecay: number; readonly first: boolean },
): void {
  if (slots.length === 0) return;
  engine.withBuffers([slots.length * 24], ([table]) => {
    const words = new Uint32Array(engine.memory.buffer, table!, slots.length * 6);
    slots.forEach((s, i) => words.set([s.param, s.grad, s.velocity, s.newParam, s.newVelocity, s.length], i * 6));
    engine.run('sgdMomentum', [table!, slots.length, hyper.lr, hyper.momentum, hyper.weightDecay, hyper.first ? 1 : 0]);
  });
}
