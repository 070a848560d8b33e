import * as tf from '@tensorflow/tfjs';
import type { ResNet50 } from '../model.ts';

/**
 * A copy of every parameter and BN buffer of a model (the best epoch's weights for early stopping).
 * Owns its copies: `dispose()` frees them.
 */
export class WeightSnapshot {
  private copies = new Map<string, tf.Tensor>();

  /** Replaces the held copy with the model's current weights. */
  capture(model: ResNet50): void {
    this.dispose();
    for (const [name, v] of [...model.params, ...model.buffers]) this.copies.set(name, tf.clone(v));
  }

  get isEmpty(): boolean {
    return this.copies.size === 0;
  }

  /** Writes the held copy back into the model's variables (tfjs assign swaps data, so the copy stays intact). */
  restore(model: ResNet50): void {
    for (const [name, v] of [...model.params, ...model.buffers]) {
      const copy = this.copies.get(name);
      if (copy) v.assign(copy);
    }
  }

  dispose(): void {
    for (const t of this.copies.values()) t.dispose();
    this.copies = new Map();
  }
}
