import * as tf from '@tensorflow/tfjs';
import type { ParamGroup } from './param-groups.ts';

interface Slot {
  readonly variable: tf.Variable;
  readonly lr: number;
  /** Momentum buffer; created at the first step (PyTorch: v₁ = g₁). Owned by the optimizer. */
  velocity: tf.Variable | null;
}

/**
 * SGD with momentum, PyTorch semantics (dampening 0, no Nesterov, no weight decay):
 * `v ← μ·v + g` (first step `v = g`), `p ← p − lr·scale·v`, one buffer per variable and one
 * learning rate per group. Owns its momentum buffers: call `dispose()` when the run ends.
 */
export class MomentumSgd {
  private readonly slots = new Map<string, Slot>();

  /** @param groups parameter groups (variables borrowed from the model); @param momentum μ ∈ [0, 1). */
  constructor(
    groups: readonly ParamGroup[],
    private readonly momentum: number,
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
    for (const [name, grad] of Object.entries(grads)) {
      const slot = this.slots.get(name);
      if (!slot) throw new Error(`gradient for "${name}", which is in no parameter group`);
      const lr = slot.lr * lrScale;
      tf.tidy(() => {
        let direction: tf.Tensor = grad;
        if (this.momentum !== 0) {
          if (slot.velocity === null) {
            slot.velocity = tf.variable(grad, false);
          } else {
            slot.velocity.assign(tf.add(tf.mul(slot.velocity, this.momentum), grad));
          }
          direction = slot.velocity;
        }
        slot.variable.assign(tf.sub(slot.variable, tf.mul(direction, lr)));
      });
    }
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
