/**
 * How much memory a training run needs at its peak, from the model, the input size, the batch, what
 * trains, and the backend, before any tensor is built; and whether that fits what the backend has
 * left. Pure (no tf): the worker checks a run with it before it starts (worker/memory-check.ts).
 *
 * The model: peak = the run's parameters (its own copy of the weights) + for each trainable parameter
 * its gradient, its momentum and the fresh weights the SGD update writes (optimizer state) + per image
 * the activations the step keeps. Activations are counted from the architecture (every convolution's
 * output, elements per image at this input size) times a factor calibrated against the heap growth
 * `npm run bench:memory` measures on WASM (README, Figures): the tape keeps each convolution's input,
 * BatchNorm's output and the residual sums, and the backward holds their gradients beside them.
 */
import { blockOf, type BlockLearningRates } from '../shared/regimes.ts';
import {
  bottleneckConvs,
  isBufferKind,
  resnet50Bottlenecks,
  resnet50StateDictSpec,
  RESNET50_MIN_INPUT,
  STEM_CONV,
  type ConvBnSpec,
} from './resnet50-spec.ts';

const FLOAT_BYTES = 4;

/**
 * Kept floats per convolution-output element per image, by backend and by what the step
 * differentiates. WASM: calibrated at 224 px (finetune batch 8 → 16: +1,508 MiB for 8 images, i.e.
 * 188.5 MiB an image against 11.1 M convolution outputs) and at 112 px, batch 16 for the per-step
 * linear probe (head only: the forward's kept tensors, no backward through the backbone). WebGPU
 * (SwiftShader, 32–112 px): 2.2x WASM's, as tfjs-webgpu's buffer pool reuses a freed buffer only
 * for the same size. The cached-features pass (inference, one layer at a time) is not calibrated.
 */
export const ACTIVATION_FACTOR = {
  wasm: { backbone: 4.44, headOnly: 2.35, inference: 0.5 },
  webgpu: { backbone: 9.8, headOnly: 5.2, inference: 1.1 },
} as const;

/**
 * Copies of each trainable parameter the optimizer holds at the step's peak. WASM: its gradient, its
 * momentum, and the fresh weights the update writes (README: XNNPACK caches packed weights per
 * tensor). WebGPU, measured: 1.75 (gradients and momentum, the update partly in place).
 */
export const OPTIMIZER_COPIES = { wasm: 3, webgpu: 1.75 } as const;

/** What a run's memory depends on. */
export interface RunShape {
  readonly backend: 'wasm' | 'webgpu';
  readonly inputSize: number;
  readonly batchSize: number;
  readonly learningRates: BlockLearningRates;
  /** Linear probe on cached features: the backbone runs in inference mode, only fc trains on the cache. */
  readonly cachedFeatures: boolean;
  readonly numClasses: number;
  /** Images whose features are cached (train + validation), for the cached-features path. */
  readonly cachedImages: number;
}

/** Bytes a run needs at its peak, and its largest single tensor (a WebGPU buffer must hold it). */
export interface RunMemoryEstimate {
  readonly peakBytes: number;
  readonly parameterBytes: number;
  readonly optimizerBytes: number;
  readonly activationBytes: number;
  readonly largestTensorBytes: number;
}

/** Output side of a convolution (or pool) on a side of `h`. */
const outSide = (h: number, kernel: number, stride: number, pad: number): number => Math.floor((h + 2 * pad - kernel) / stride) + 1;

/** Per image at `inputSize`: the sum of every convolution's output elements, and the largest one. */
export function convolutionOutputs(inputSize: number): { total: number; largest: number } {
  let total = 0;
  let largest = 0;
  const add = (c: ConvBnSpec, h: number): number => {
    const side = outSide(h, c.kernel, c.stride, c.pad);
    const elements = side * side * c.outChannels;
    total += elements;
    largest = Math.max(largest, elements);
    return side;
  };
  let h = outSide(add(STEM_CONV, inputSize), 3, 2, 1);
  for (const b of resnet50Bottlenecks()) {
    const side = outSide(h, 3, b.stride, 1);
    // conv3 reads conv2's strided output; conv1, conv2 and the downsample read the block's input.
    for (const c of bottleneckConvs(b)) add(c, c.conv.endsWith('conv3') ? side : h);
    h = side;
  }
  return { total, largest };
}

/** Parameters (BN running statistics excluded) in all, and those whose block has a learning rate above 0. */
export function parameterCounts(learningRates: BlockLearningRates, numClasses: number): { all: number; trainable: number } {
  let all = 0;
  let trainable = 0;
  for (const spec of resnet50StateDictSpec(numClasses)) {
    if (isBufferKind(spec.kind)) continue;
    const n = spec.shape.reduce((a, b) => a * b, 1);
    all += n;
    if (learningRates[blockOf(spec.name)] > 0) trainable += n;
  }
  return { all, trainable };
}

/** The peak memory of a training step of `run` (see the module comment for the model). */
export function estimateRunMemory(run: RunShape): RunMemoryEstimate {
  const params = parameterCounts(run.learningRates, run.numClasses);
  const parameterBytes = params.all * FLOAT_BYTES;
  const optimizerBytes = OPTIMIZER_COPIES[run.backend] * params.trainable * FLOAT_BYTES;
  const convs = convolutionOutputs(run.inputSize);
  const backboneTrains = params.trainable > (2048 + 1) * run.numClasses;
  const factors = ACTIVATION_FACTOR[run.backend];
  const factor = run.cachedFeatures ? factors.inference : backboneTrains ? factors.backbone : factors.headOnly;
  const inputBytes = run.inputSize * run.inputSize * 3 * FLOAT_BYTES;
  const perImage = factor * convs.total * FLOAT_BYTES + 2 * inputBytes;
  const cacheBytes = run.cachedFeatures ? run.cachedImages * 2048 * FLOAT_BYTES : 0;
  const activationBytes = Math.ceil(run.batchSize * perImage) + cacheBytes;
  return {
    peakBytes: Math.ceil(parameterBytes + optimizerBytes + activationBytes),
    parameterBytes,
    optimizerBytes,
    activationBytes,
    largestTensorBytes: run.batchSize * convs.largest * FLOAT_BYTES,
  };
}

/** What the backend has room for. */
export interface MemoryLimit {
  readonly backend: 'wasm' | 'webgpu';
  /** WASM: the heap's maximum (tfjs-wasm's 4 GiB less a page); WebGPU: the adapter's maxBufferSize. */
  readonly limitBytes: number;
  /** Already held before the run: live tensors (the session's weights, cached features, other runs' models). */
  readonly heldBytes: number;
  /** WebGPU: the largest storage buffer a kernel can bind (maxStorageBufferBindingSize); null on WASM. */
  readonly maxBindingBytes: number | null;
}

/**
 * Share of what is left that a run may plan to use: the rest covers what the estimate leaves out
 * (evaluation batches, augmentation, the allocator's fragmentation) and the estimate's own error.
 */
export const MEMORY_HEADROOM = 0.9;

/** Whether `run` fits `limit`, and if not, the largest batch (at this size) and size (at this batch) that do. */
export interface MemoryFit {
  readonly fits: boolean;
  readonly estimate: RunMemoryEstimate;
  /** WASM: bytes the run may use, headroom × (limit − held); WebGPU: the largest buffer one binding takes. */
  readonly availableBytes: number;
  /** What did not fit: the whole run, or (WebGPU) its largest tensor in one buffer binding. */
  readonly reason: 'total' | 'binding' | null;
  /** Largest batch that fits at this input size (0: not even one image). */
  readonly largestBatch: number;
  /** Largest input size (a multiple of 16, at least 32) that fits at this batch, or null if none. */
  readonly largestSize: number | null;
}

/** The largest buffer a WebGPU kernel can bind: the smaller of the two adapter limits. */
function bindingLimit(limit: MemoryLimit): number {
  return Math.min(limit.maxBindingBytes ?? limit.limitBytes, limit.limitBytes);
}

/**
 * WASM: the whole run within what the heap has left. WebGPU states no total (the device's memory is
 * not exposed), only its buffer limits: the largest tensor (the stem's and layer1's activations) must
 * fit one binding.
 */
function problemOf(run: RunShape, limit: MemoryLimit, available: number): 'total' | 'binding' | null {
  const e = estimateRunMemory(run);
  if (limit.backend === 'wasm') return e.peakBytes > available ? 'total' : null;
  return e.largestTensorBytes > available ? 'binding' : null;
}

/** Checks `run` against `limit`. */
export function checkRunMemory(run: RunShape, limit: MemoryLimit): MemoryFit {
  const availableBytes =
    limit.backend === 'wasm' ? Math.max(0, MEMORY_HEADROOM * (limit.limitBytes - limit.heldBytes)) : bindingLimit(limit);
  const reason = problemOf(run, limit, availableBytes);
  const estimate = estimateRunMemory(run);
  if (reason === null) return { fits: true, estimate, availableBytes, reason, largestBatch: run.batchSize, largestSize: run.inputSize };
  let largestBatch = 0;
  for (let batch = run.batchSize - 1; batch >= 1; batch--)
    if (problemOf({ ...run, batchSize: batch }, limit, availableBytes) === null) {
      largestBatch = batch;
      break;
    }
  let largestSize: number | null = null;
  for (let size = Math.floor((run.inputSize - 1) / 16) * 16; size >= RESNET50_MIN_INPUT; size -= 16)
    if (problemOf({ ...run, inputSize: size }, limit, availableBytes) === null) {
      largestSize = size;
      break;
    }
  return { fits: false, estimate, availableBytes, reason, largestBatch, largestSize };
}
