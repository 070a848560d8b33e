import * as tf from '@tensorflow/tfjs';
import type { ResNet50 } from '../model.ts';
import type { MomentumSgd } from './sgd.ts';

/** A tensor's values on the host, float32, with its shape. */
export interface HostValues {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** Prefix of momentum-buffer names inside a training-state checkpoint. */
export const MOMENTUM_PREFIX = 'momentum/';

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

  /** Replaces the held copy with saved host values (a resumed run's best epoch). */
  load(model: ResNet50, saved: ReadonlyMap<string, HostValues>): void {
    this.dispose();
    for (const [name, v] of [...model.params, ...model.buffers]) {
      const values = saved.get(name);
      if (values) this.copies.set(name, tf.tensor(values.values, v.shape));
    }
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

/** Name, shape and place (offset and length, in float32 values) of one tensor in a packed buffer. */
export interface PackedEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly offset: number;
  readonly length: number;
}

/**
 * Floats read per slice before the reader lets the training loop run again (128 MB). The loop then
 * trains a whole batch before the next slice, so a full fine-tune's 188 MB is read in two turns: a
 * write that spans many batches would be taken that much earlier each time (see RunCheckpoints).
 */
const READ_SLICE_FLOATS = 32 << 20;

/** The variables a training state holds, by checkpoint name: parameters, BN buffers, then momentum buffers. */
function trainingStateSources(model: ResNet50, optimizer: MomentumSgd | null): [string, tf.Variable][] {
  const sources: [string, tf.Variable][] = [...model.params, ...model.buffers];
  if (optimizer) {
    // The optimizer keys buffers by tf's variable name, which differs between model instances.
    const velocities = optimizer.velocities();
    for (const [name, v] of model.params) {
      const velocity = velocities.get(v.name);
      if (velocity) sources.push([MOMENTUM_PREFIX + name, velocity]);
    }
  }
  return sources;
}

/**
 * The training state at one batch boundary, held on the device without copying: `tf.clone` shares
 * each variable's data (one more reference), and every later step writes fresh buffers (the
 * optimizer, BN's running statistics), so the clones keep the values of this boundary while
 * training goes on. `read` then copies them to the host in slices, between training batches.
 * Owns its clones: each is freed as soon as it is read, and `dispose` frees what is left.
 */
export class TrainingSnapshot {
  private clones: (tf.Tensor | null)[];
  readonly entries: readonly PackedEntry[];
  /** Total float32 values (the packed buffer's length). */
  readonly floats: number;

  private constructor(sources: readonly [string, tf.Variable][]) {
    let offset = 0;
    this.entries = sources.map(([name, v]) => {
      const entry = { name, shape: v.shape, offset, length: v.size };
      offset += v.size;
      return entry;
    });
    this.floats = offset;
    this.clones = sources.map(([, v]) => tf.clone(v));
  }

  /** Takes the snapshot: parameters and BN buffers, and the momentum buffers when `optimizer` is given. */
  static take(model: ResNet50, optimizer: MomentumSgd | null): TrainingSnapshot {
    return new TrainingSnapshot(trainingStateSources(model, optimizer));
  }

  /**
   * Copies every tensor to the host, into one Blob laid out as `entries` (float32, back to back),
   * freeing each clone once read. A Blob, not an array: IndexedDB stores its bytes without
   * serialising them on this thread, and the parts of each slice become one Blob as soon as they
   * are read, so no ~190 MB buffer is ever assembled here. Between slices of ~128 MB it awaits
   * `pause` (the caller lets training batches run there). `onBlocked` hears the ms of each
   * synchronous part (a WASM read is a copy on this thread, and so is building a Blob; a GPU read
   * waits asynchronously, which is not counted).
   */
  async read(pause: () => Promise<void>, onBlocked: (ms: number) => void = () => undefined): Promise<Blob> {
    const slices: Blob[] = [];
    let parts: Float32Array<ArrayBuffer>[] = [];
    let inSlice = 0;
    const endSlice = () => {
      const t = performance.now();
      slices.push(new Blob(parts));
      parts = [];
      inSlice = 0;
      onBlocked(performance.now() - t);
    };
    for (const [i, entry] of this.entries.entries()) {
      const clone = this.clones[i];
      if (!clone) throw new Error('this snapshot was disposed before it was read');
      let t = performance.now();
      const reading = clone.data();
      onBlocked(performance.now() - t);
      const values = (await reading) as Float32Array;
      t = performance.now();
      if (values.length !== entry.length)
        throw new Error(`snapshot tensor ${entry.name} read ${values.length} values, not ${entry.length}`);
      // A Blob is never built from shared memory (a threaded WASM heap): such a view is copied.
      parts.push(values.buffer instanceof ArrayBuffer ? (values as Float32Array<ArrayBuffer>) : values.slice());
      clone.dispose();
      onBlocked(performance.now() - t);
      this.clones[i] = null;
      inSlice += entry.length;
      if (inSlice >= READ_SLICE_FLOATS) {
        endSlice();
        await pause();
      }
    }
    if (parts.length > 0) endSlice();
    // A Blob of Blobs refers to their bytes; nothing is copied again.
    return new Blob(slices);
  }

  /** Frees the clones not read yet. */
  dispose(): void {
    for (const clone of this.clones) clone?.dispose();
    this.clones = [];
  }
}

/**
 * Reads the model's parameters and BN buffers, and with `withMomentum` the optimizer's momentum
 * buffers (`momentum/<name>`), back to the host. Allocates no tensors.
 */
export async function readTrainingState(
  model: ResNet50,
  optimizer: MomentumSgd | null,
): Promise<{ name: string; shape: readonly number[]; values: Float32Array }[]> {
  const sources = trainingStateSources(model, optimizer);
  return Promise.all(sources.map(async ([name, v]) => ({ name, shape: v.shape, values: (await v.data()) as Float32Array })));
}

/**
 * Writes saved parameters and BN buffers into the model and momentum buffers into the optimizer.
 * Every model variable must be present with its size, or this throws before changing anything.
 */
export function applyTrainingState(model: ResNet50, optimizer: MomentumSgd | null, saved: ReadonlyMap<string, HostValues>): void {
  const variables = [...model.params, ...model.buffers];
  for (const [name, v] of variables) {
    const values = saved.get(name);
    if (!values) throw new Error(`the checkpoint has no tensor "${name}"`);
    if (values.values.length !== v.size)
      throw new Error(`the checkpoint's "${name}" has ${values.values.length} values, the model ${v.size}`);
  }
  for (const [name, v] of variables) tf.tidy(() => v.assign(tf.tensor((saved.get(name) as HostValues).values, v.shape)));
  if (optimizer) loadMomentum(model, optimizer, saved);
}

/** Loads the `momentum/<param name>` entries of `saved` into the optimizer's buffers. */
export function loadMomentum(model: ResNet50, optimizer: MomentumSgd, saved: ReadonlyMap<string, HostValues>): void {
  const byVariable = new Map<string, HostValues>();
  for (const [name, values] of saved) {
    if (!name.startsWith(MOMENTUM_PREFIX)) continue;
    const param = model.params.get(name.slice(MOMENTUM_PREFIX.length));
    if (!param) throw new Error(`the checkpoint has momentum for "${name}", which the model does not have`);
    byVariable.set(param.name, values);
  }
  optimizer.loadVelocities(byVariable);
}
