import * as tf from '@tensorflow/tfjs';
import { activeCpuEngine } from '../cpu/active-engine.ts';
import { SGD_MOMENTUM, type SgdMomentumAttrs } from '../cpu/kernels/sgd.ts';
import type { ParamGroup } from './param-groups.ts';

interface Slot {
  readonly variable: tf.Variable;
  readonly lr: number;
  /** Momentum buffer; created at the first step (PyTorch: v₁ = g₁). Owned by the optimizer. */
  velocity: tf.Variable | null;
}

/** Most floats of parameters one fused update covers: its new buffers exist beside the old ones until assigned. */
const FUSED_FLOATS = 4 << 20;

/**
 * SGD with momentum, PyTorch semantics (dampening 0, no Nesterov): `d = g + wd·p`, `v ← μ·v + d`
 * (first step `v = d`), `p ← p − lr·scale·v`, one buffer per variable and one learning rate per
 * group. On the CPU kernels each group (in slices of ≤ 4 M values) is one threaded pass
 * (ml/cpu/kernels/sgd.ts); elsewhere each variable is a few tf ops. Owns its momentum buffers:
 * call `dispose()` when the run ends.
 */
export class MomentumSgd {
  private readonly slots = new Map<string, Slot>();

  /**
   * @param groups parameter groups (variables borrowed from the model); @param momentum μ ∈ [0, 1);
   * @param weightDecay L2 penalty added to each gradient (PyTorch's `weight_decay`; 0 = none).
   */
  constructor(
    groups: readonly ParamGroup[],
    private readonly momentum: number,
    private readonly weightDecay = 0,
  ) {
    for (const group of groups) {
      for (const variable of group.variables) this.slots.set(variable.name, { variable, lr: group.lr, velocity: null });
    }
  }

  /**
   * Applies one update from the gradients of one `tf.variableGrads` call (keyed by variable name).
   * Does not dispose `grads`. `lrScale` is the schedule's multiplier for this epoch.
   */
  step(grads: tf.NamedTensorMap, lrScale: number): void {
    const pending: [Slot, tf.Tensor][] = [];
    for (const [name, grad] of Object.entries(grads)) {
      const slot = this.slots.get(name);
      if (!slot) throw new Error(`gradient for "${name}", which is in no parameter group`);
      pending.push([slot, grad]);
    }
    if (tf.getBackend() === 'wasm' && activeCpuEngine() !== null) this.stepFused(pending, lrScale);
    else for (const [slot, grad] of pending) this.stepWithOps(slot, grad, lrScale);
  }

  /** The CPU kernels' update: one kernel per (learning rate, first step or not) and slice of parameters. */
  private stepFused(pending: readonly [Slot, tf.Tensor][], lrScale: number): void {
    const passes = new Map<string, [Slot, tf.Tensor][]>();
    for (const entry of pending) {
      const key = `${entry[0].lr}:${entry[0].velocity === null}`;
      passes.set(key, [...(passes.get(key) ?? []), entry]);
    }
    for (const entries of passes.values()) {
      for (let start = 0; start < entries.length;) {
        let floats = 0;
        let end = start;
        while (end < entries.length && (end === start || floats + entries[end]![0].variable.size <= FUSED_FLOATS))
          floats += entries[end++]![0].variable.size;
        this.fusedSlice(entries.slice(start, end), lrScale);
        start = end;
      }
    }
  }

  private fusedSlice(entries: readonly [Slot, tf.Tensor][], lrScale: number): void {
    const first = entries[0]![0].velocity === null;
    const withMomentum = this.momentum !== 0;
    const inputs: tf.NamedTensorMap = {};
    entries.forEach(([slot, grad], i) => {
      inputs[`p${i}`] = slot.variable;
      inputs[`g${i}`] = grad;
      if (withMomentum && !first && slot.velocity) inputs[`v${i}`] = slot.velocity;
    });
    const attrs: SgdMomentumAttrs = {
      count: entries.length,
      lr: entries[0]![0].lr * lrScale,
      momentum: this.momentum,
      weightDecay: this.weightDecay,
      first,
    };
    const outputs = tf.engine().runKernel(SGD_MOMENTUM, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    let k = 0;
    for (const [slot] of entries) {
      slot.variable.assign(outputs[k++]!);
      if (!withMomentum) continue;
      const velocity = outputs[k++]!;
      if (slot.velocity) slot.velocity.assign(velocity);
      else slot.velocity = tf.variable(velocity, false);
    }
    tf.dispose(outputs);
  }

  /** The same update with tf ops, for one parameter. */
  private stepWithOps(slot: Slot, grad: tf.Tensor, lrScale: number): void {
    const lr = slot.lr * lrScale;
    tf.tidy(() => {
      let direction: tf.Tensor = this.weightDecay !== 0 ? tf.add(grad, tf.mul(slot.variable, this.weightDecay)) : grad;
      if (this.momentum !== 0) {
        if (slot.velocity === null) {
          slot.velocity = tf.variable(direction, false);
        } else {
          slot.velocity.assign(tf.add(tf.mul(slot.velocity, this.momentum), direction));
        }
        direction = slot.velocity;
      }
      slot.variable.assign(tf.sub(slot.variable, tf.mul(direction, lr)));
    });
  }

  /** The momentum buffers that exist so far, by variable name (borrowed: read them, do not dispose). */
  velocities(): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    for (const [name, slot] of this.slots) if (slot.velocity) out.set(name, slot.velocity);
    return out;
  }

  /**
   * Restores momentum buffers saved from `velocities()` (a resumed run continues exactly). Buffers
   * not given stay unset, as before the first step. Unknown names or wrong sizes throw.
   */
  loadVelocities(values: ReadonlyMap<string, { readonly shape: readonly number[]; readonly values: Float32Array }>): void {
    for (const [name, saved] of values) {
      const slot = this.slots.get(name);
      if (!slot) throw new Error(`the checkpoint has momentum for "${name}", which this run does not train`);
      if (saved.values.length !== slot.variable.size)
        throw new Error(`the checkpoint's momentum for "${name}" has ${saved.values.length} values, the variable ${slot.variable.size}`);
      slot.velocity?.dispose();
      slot.velocity = tf.tidy(() => tf.variable(tf.tensor(saved.values, slot.variable.shape), false));
    }
  }

  /** Frees the momentum buffers. The optimizer cannot be used afterwards. */
  dispose(): void {
    for (const slot of this.slots.values()) slot.velocity?.dispose();
    this.slots.clear();
  }
}
