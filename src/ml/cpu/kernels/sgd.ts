import type * as tf from '@tensorflow/tfjs';
import { sgdMomentumStep, type SgdSlot } from '../ops/sgd.ts';
import { heapAddress } from '../tfjs-wasm-heap.ts';
import { makeOutput, requireCpuEngine } from './common.ts';
import { addWasmKernel } from './replace-kernel.ts';

/** One SGD step over a group of parameters that share a learning rate (train/sgd.ts calls it). */
export const SGD_MOMENTUM = 'ExpressionLabSgdMomentum';

/** Attributes of {@link SGD_MOMENTUM}. */
export interface SgdMomentumAttrs {
  /** Parameters in the group: inputs p0, g0, (v0), p1, g1, (v1), … */
  readonly count: number;
  readonly lr: number;
  readonly momentum: number;
  readonly weightDecay: number;
  /** The first step: no momentum buffers yet (v = d). */
  readonly first: boolean;
  [key: string]: number | boolean;
}

/**
 * Registers {@link SGD_MOMENTUM} on wasm: inputs p_i, g_i and (after the first step, with momentum)
 * v_i; outputs the new p_i, then (with momentum) the new v_i, in order p0', v0', p1', v1', … One
 * threaded pass over the whole group.
 */
export function registerCpuSgd(): void {
  addWasmKernel(SGD_MOMENTUM, ({ inputs, backend, attrs }) => {
    const engine = requireCpuEngine(SGD_MOMENTUM);
    const a = attrs as unknown as SgdMomentumAttrs;
    const withMomentum = a.momentum !== 0;
    const outputs: tf.TensorInfo[] = [];
    const slots: SgdSlot[] = [];
    for (let i = 0; i < a.count; i++) {
      const p = inputs[`p${i}`] as tf.TensorInfo;
      const g = inputs[`g${i}`] as tf.TensorInfo;
      const v = inputs[`v${i}`];
      if (withMomentum && !a.first && !v) throw new Error(`${SGD_MOMENTUM}: v${i} is missing after the first step`);
      const newParam = makeOutput(backend, [...p.shape]);
      const newVelocity = withMomentum ? makeOutput(backend, [...p.shape]) : null;
      outputs.push(newParam, ...(newVelocity ? [newVelocity] : []));
      slots.push({
        param: heapAddress(backend, p),
        grad: heapAddress(backend, g),
        velocity: v && !a.first ? heapAddress(backend, v) : 0,
        newParam: heapAddress(backend, newParam),
        newVelocity: newVelocity ? heapAddress(backend, newVelocity) : 0,
        length: p.shape.reduce((s, d) => s * d, 1),
      });
    }
    sgdMomentumStep(engine, slots, { lr: a.lr, momentum: a.momentum, weightDecay: a.weightDecay, first: a.first });
    return outputs;
  });
}
