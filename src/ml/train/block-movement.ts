/**
 * How far each block moved from where the run started: ‖W − W₀‖ / ‖W₀‖ over the block's parameters
 * (the norm of all its tensors taken together). TensorBoard shows weight histograms per step; this is
 * the one number per block that tells the regimes apart (frozen blocks stay at 0, discriminative
 * learning rates keep the backbone near 0, a full fine-tune moves everything).
 */
import * as tf from '@tensorflow/tfjs';
import { MOVEMENT_BLOCKS, type MovementBlock } from '../../shared/types.ts';
import type { ResNet50 } from '../model.ts';

/** The block a parameter belongs to, from its torchvision name (`layer3.2.conv1.weight` → layer3). */
export function movementBlockOf(name: string): MovementBlock {
  const head = name.split('.')[0] ?? '';
  return head === 'conv1' || head === 'bn1' ? 'conv1+bn1' : (MOVEMENT_BLOCKS.find((b) => b === head) ?? 'conv1+bn1');
}

/**
 * Holds a copy of the model's parameters at the start (on the device: about 100 MB for ResNet50) and
 * measures each block's relative movement from it with one read back. Owns its tensors: `dispose()`.
 */
export class BlockMovementTracker {
  private constructor(
    private readonly start: ReadonlyMap<string, tf.Tensor>,
    private readonly startNorms: Readonly<Record<MovementBlock, number>>,
  ) {}

  /** Copies the model's current parameters as W₀. */
  static async capture(model: ResNet50): Promise<BlockMovementTracker> {
    const start = new Map<string, tf.Tensor>();
    for (const [name, variable] of model.params) start.set(name, tf.clone(variable));
    const squares = tf.tidy(() => perBlockSumOfSquares(start, (_, w0) => w0));
    const values = await squares.data();
    squares.dispose();
    const norms = Object.fromEntries(MOVEMENT_BLOCKS.map((b, i) => [b, Math.sqrt(values[i] ?? 0)])) as Record<MovementBlock, number>;
    return new BlockMovementTracker(start, norms);
  }

  /** ‖W − W₀‖ / ‖W₀‖ per block now (0 for a block without parameters). */
  async measure(model: ResNet50): Promise<Record<MovementBlock, number>> {
    const squares = tf.tidy(() => perBlockSumOfSquares(this.start, (name, w0) => tf.sub(model.params.get(name) ?? w0, w0)));
    const values = await squares.data();
    squares.dispose();
    return Object.fromEntries(
      MOVEMENT_BLOCKS.map((b, i) => [b, this.startNorms[b] > 0 ? Math.sqrt(values[i] ?? 0) / this.startNorms[b] : 0]),
    ) as Record<MovementBlock, number>;
  }

  dispose(): void {
    for (const t of this.start.values()) t.dispose();
  }
}

/** [blocks] float32: Σ over each block's tensors of Σ term(name, W₀)². Call inside a tidy. */
function perBlockSumOfSquares(start: ReadonlyMap<string, tf.Tensor>, term: (name: string, w0: tf.Tensor) => tf.Tensor): tf.Tensor1D {
  const sums = new Map<MovementBlock, tf.Scalar[]>();
  for (const [name, w0] of start) {
    const block = movementBlockOf(name);
    const t = term(name, w0);
    sums.set(block, [...(sums.get(block) ?? []), tf.sum(tf.square(t))]);
  }
  return tf.stack(MOVEMENT_BLOCKS.map((b) => tf.addN(sums.get(b) ?? [tf.scalar(0)]))) as tf.Tensor1D;
}
