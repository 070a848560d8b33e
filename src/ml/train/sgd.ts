import * as tf from '@tensorflow/tfjs';
import { activeCpuEngine } from '../cpu/active-engine.ts';
import type { CpuEngine } from '../cpu/engine.ts';
import { sgdMomentumStep, type SgdSlot } from '../cpu/ops/sgd.ts';
import { heapAddress, heapRefCount } from '../cpu/tfjs-wasm-heap.ts';
import type { ParamGroup } from './param-groups.ts';

interface Slot {
  readonly variable: tf.Variable;
  readonly lr: number;
  /** Momentum buffer; created at the first step (PyTorch: v₁ = g₁). Owned by the optimizer. */
  velocity: tf.Variable | null;
}

/**
 * SGD with momentum, PyTorch semantics (dampening 0, no Nesterov): `d = g + wd·p`, `v ← μ·v + d`
 * (first step `v = d`), `p ← p − lr·scale·v`, one buffer per variable and one learning rate per
 * group. On the CPU kernels a group is updated in place in one threaded pass (ml/cpu/assembly/sgd.ts);
 * elsewhere, and for any tensor whose data another tensor shares, with tf ops. Owns its momentum
 * buffers: call `dispose()` when the run ends.
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
    const engine = tf.getBackend() === 'wasm' ? activeCpuEngine() : null;
    const rest = engine ? this.stepInPlace(engine, pending, lrScale) : pending;
    for (const [slot, grad] of rest) this.stepWithOps(slot, grad, lrScale);
  }

  /**
   * The CPU kernels' update: one pass per (learning rate, first step or not) over every slot whose
   * parameter and momentum data nothing else shares. Returns the slots it could not update in place.
   */
  private stepInPlace(engine: CpuEngine, pending: readonly [Slot, tf.Tensor][], lrScale: number): [Slot, tf.Tensor][] {
    const backend = tf.backend();
    const rest: [Slot, tf.Tensor][] = [];
    const passes = new Map<string, { lr: number; first: boolean; slots: SgdSlot[] }>();
    for (const [slot, grad] of pending) {
      const first = slot.velocity === null;
      if (this.momentum !== 0 && first) slot.velocity = tf.tidy(() => tf.variable(tf.zerosLike(slot.variable), false));
      const owned = heapRefCount(backend, slot.variable) === 1 && (slot.velocity === null || heapRefCount(backend, slot.velocity) === 1);
      if (!owned || grad.dtype !== 'float32') {
        if (first && slot.velocity) {
          slot.velocity.dispose();
          slot.velocity = null;
        }
        rest.push([slot, grad]);
        continue;
      }
      const key = `${slot.lr}:${first}`;
      const pass = passes.get(key) ?? { lr: slot.lr * lrScale, first, slots: [] };
      pass.slots.push({
        param: heapAddress(backend, slot.variable),
        grad: heapAddress(backend, grad),
        velocity: slot.velocity ? heapAddress(backend, slot.velocity) : 0,
        length: slot.variable.size,
      });
      passes.set(key, pass);
    }
    for (const pass of passes.values()) {
      sgdMomentumStep(engine, pass.slots, { lr: pass.lr, momentum: this.momentum, weightDecay: this.weightDecay, first: pass.first });
    }
    return rest;
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
