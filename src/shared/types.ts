/** Types shared by the page and the worker. Plain data only: everything here survives structured clone. */
import type { RegimeId, BlockLearningRates } from './regimes.ts';

export type BackendName = 'webgpu' | 'wasm' | 'webgl' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'wasm', 'webgl', 'cpu'];

export interface BackendInfo {
  readonly backend: BackendName;
  /** Human description of the device, e.g. "Google SwiftShader (fallback adapter)" or "WASM, 4 threads, SIMD". */
  readonly adapter: string;
  readonly tfjs: string;
  /** Backends that initialised successfully here, best first. */
  readonly available: readonly BackendName[];
  /** Why the automatic choice was made, e.g. "only a fallback WebGPU adapter: WASM is faster". */
  readonly reason: string;
  readonly isFallbackAdapter: boolean;
  /** Threads the lab's CPU kernels compute on under wasm (one per core, or 1 without cross-origin isolation); null on other backends. */
  readonly threads: number | null;
}

export type SplitName = 'train' | 'validation' | 'test';

/**
 * One person's correction of the dataset: the image at `path` of `split` is relabelled to class `to`
 * (its label was `from`), or left out of every run (`to` null). One edit per image at most.
 */
export interface DatasetEdit {
  readonly split: SplitName;
  readonly path: string;
  readonly from: number;
  readonly to: number | null;
}

/** One decoded image, pixels at native resolution, row-major, `channels` interleaved (1 = gray, 3 = RGB). */
export interface RawImage {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  readonly pixels: Uint8Array;
}

/**
 * Where a model looks for one class in one image (Grad-CAM at layer4, see ml/interpret/grad-cam.ts).
 * Maps are row-major and not normalised.
 */
export interface GradCamMap {
  readonly classIndex: number;
  /** layer4's resolution: the input's side / 32, rounded up. */
  readonly height: number;
  readonly width: number;
  /** ReLU(Σ weight·activation) at layer4's resolution, [height][width]. */
  readonly map: Float32Array;
  /** `map` bilinearly upsampled to the model's input (the `input` image it comes with). */
  readonly upsampled: Float32Array;
}

/** One image of a split, ranked by its loss (ml/interpret/top-losses.ts ranks them). */
export interface RankedLoss {
  /** Index into the split. */
  readonly index: number;
  readonly trueClass: number;
  readonly predictedClass: number;
  /** Probability of the predicted class. */
  readonly probability: number;
  /** Probability of the labelled (true) class. */
  readonly trueProbability: number;
  /** Cross-entropy of this image alone: −ln p(true class). */
  readonly loss: number;
  /** Wrong, and confident about it (p ≥ SUSPECT_CONFIDENCE). */
  readonly likelyMislabelled: boolean;
}

/** One image of a split among those with the highest loss, with its path and pixels. */
export interface TopLoss extends RankedLoss {
  readonly path: string;
  readonly image: RawImage;
}

export interface SkippedFile {
  readonly path: string;
  readonly reason: string;
}

export interface SampleThumbnail extends RawImage {
  readonly classIndex: number;
  readonly path: string;
}

export interface DatasetSummary {
  readonly name: string;
  readonly format: 'zip' | 'csv' | 'files' | 'demo';
  readonly classes: readonly string[];
  /** counts[split][classIndex] */
  readonly counts: Readonly<Record<SplitName, readonly number[]>>;
  /** True when the validation split was carved from train (seeded, stratified). */
  readonly validationFromTrain: boolean;
  readonly skipped: readonly SkippedFile[];
  /** Distinct image sizes seen, "48x48" → count. */
  readonly sizes: Readonly<Record<string, number>>;
  readonly importMs: number;
  /** Bytes of pixel storage held in the worker. */
  readonly bytesHeld: number;
  readonly warnings: readonly string[];
  readonly samples: readonly SampleThumbnail[];
  /**
   * How validation was carved from train: per image, or whole groups (subjects found in file
   * names, or the user's pattern) so no group is on both sides. Absent when the data had its own
   * validation split.
   */
  readonly splitBy?: SplitBy;
}

/** The carving of validation out of train, as the summary reports it. */
export type SplitBy =
  | { readonly kind: 'image' }
  | {
      readonly kind: 'subject' | 'pattern';
      readonly groups: number;
      readonly validationGroups: number;
      /** The keys of the groups in validation (at most 500), sorted. */
      readonly validationKeys: readonly string[];
    };

/**
 * How to carve validation from train: `auto` splits by subject when file names carry one (CK+
 * `S010_004_00000017.png` → S010), `image` per image, `pattern` by `groupPattern`'s capture group.
 */
export type SplitGrouping = 'auto' | 'image' | 'pattern';
export const SPLIT_GROUPINGS: readonly SplitGrouping[] = ['auto', 'image', 'pattern'];

export interface DatasetOptions {
  /** Fraction of train carved out for validation when the data has no validation split. */
  readonly validationFraction: number;
  readonly seed: number;
  /** Refuse archives whose declared uncompressed size exceeds this (zip bombs). */
  readonly maxUncompressedBytes: number;
  /** How validation is carved from train; `auto` when left out. */
  readonly groupBy?: SplitGrouping;
  /** With `groupBy: 'pattern'`: a regular expression with one capture group, matched against each image's path. */
  readonly groupPattern?: string;
}

export interface AugmentConfig {
  readonly hflip: { readonly enabled: boolean; readonly p: number };
  readonly rotate: { readonly enabled: boolean; readonly degrees: number };
  readonly perspective: { readonly enabled: boolean; readonly distortion: number; readonly p: number };
}

export type LrSchedule =
  | { readonly kind: 'constant' }
  | { readonly kind: 'step'; readonly everyEpochs: number; readonly gamma: number }
  | { readonly kind: 'cosine' };

export interface TrainConfig {
  readonly regime: RegimeId;
  readonly learningRates: BlockLearningRates;
  readonly momentum: number;
  readonly batchSize: number;
  readonly epochs: number;
  readonly inputSize: number;
  readonly seed: number;
  readonly augment: AugmentConfig;
  /** Linear probe only: run the backbone every step (BN in train mode) as the seed did, instead of caching features. */
  readonly exactSeedBehaviour: boolean;
  readonly schedule: LrSchedule;
  /** Stop after this many epochs without validation-loss improvement, keeping the best epoch; 0 = off. */
  readonly earlyStoppingPatience: number;
  readonly classWeighted: boolean;
  /** How mixed-size images reach the input size. */
  readonly resizeMode: 'stretch' | 'center-crop';
}

export interface BatchMetrics {
  readonly epoch: number;
  readonly batch: number;
  readonly batchesPerEpoch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly imagesPerSecond: number;
  /** The run's training time so far, ms, counting time before an interruption up to its checkpoint. */
  readonly elapsedMs?: number;
}

/**
 * How far an epoch has got: with the run's seed and settings, everything needed to continue it
 * exactly. The data order and the augmentation of batch b are functions of (seed, epoch, b), so
 * the position is the random streams' whole state.
 */
export interface EpochProgress {
  /** 1-based epoch in progress. */
  readonly epoch: number;
  /** Batches of it trained so far; the next one is `batchesDone + 1`. */
  readonly batchesDone: number;
  /** Σ batch loss × batch size, Σ correct and images seen, over those batches. */
  readonly lossSum: number;
  readonly correct: number;
  readonly seen: number;
  /** ms spent on those batches. */
  readonly trainMs: number;
}

/** One batch of an LR range test (ml/train/lr-find.ts). */
export interface LrFindPoint {
  readonly step: number;
  /** The largest group's learning rate at this batch (the others keep their ratio to it). */
  readonly lr: number;
  readonly loss: number;
  /** Exponential moving average of the loss (β = 0.98), bias-corrected, as fastai smooths it. */
  readonly smoothedLoss: number;
}

/** An LR range test's curve and fastai's two suggestions (the largest group's rate). */
export interface LrFindResult {
  readonly points: LrFindPoint[];
  readonly stoppedBy: 'diverged' | 'steps' | 'stopped';
  /** Where the smoothed loss falls fastest per log lr, and the minimum's rate / 10. */
  readonly steepest: number | null;
  readonly minimumTenth: number | null;
}

/** The blocks whose movement is tracked: the stem (conv1 with bn1), the four stages, the head. */
export const MOVEMENT_BLOCKS = ['conv1+bn1', 'layer1', 'layer2', 'layer3', 'layer4', 'fc'] as const;
export type MovementBlock = (typeof MOVEMENT_BLOCKS)[number];

export interface EpochMetrics {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly validationLoss: number;
  readonly validationAccuracy: number;
  readonly perClassAccuracy: readonly number[];
  /** confusion[trueClass][predictedClass] counts on the validation split. */
  readonly confusion: readonly (readonly number[])[];
  readonly learningRateScale: number;
  /** Time of the training steps alone (all of them finished on the device), then of the whole epoch with validation. */
  readonly trainMs: number;
  readonly wallMs: number;
  /**
   * How far each block's parameters (weights, BN scale and shift; not BN's running statistics) moved
   * since the run's start: ‖W − W₀‖ / ‖W₀‖ over the block. Absent for runs made before it was kept and
   * for epochs trained after a resume (W₀ is not stored).
   */
  readonly blockMovement?: Readonly<Record<MovementBlock, number>>;
  /** Milliseconds spent measuring `blockMovement` this epoch (included in `wallMs`). */
  readonly blockMovementMs?: number;
}

export type WeightsSource = 'pretrained-cache' | 'pretrained-download' | 'pretrained-local' | 'dropped-file' | 'random-init';

export interface WeightsInfo {
  readonly source: WeightsSource;
  readonly label: string;
  readonly pretrained: boolean;
  readonly parameterCount: number;
  /** Output classes of the file's own fc (ImageNet: 1000); a run on another class count gets a new head. */
  readonly fcClasses?: number | null;
  /** What reading the file did, in words (its format, a checkpoint's key, prefixes removed, dtypes converted). */
  readonly notes?: readonly string[];
}

export interface ExportFile {
  readonly name: string;
  readonly mimeType: string;
  readonly data: ArrayBuffer;
}

/** How a saved run ended, or `running` when the page went away while it trained (then: interrupted). */
export type SavedRunStatus = 'running' | 'completed' | 'stopped' | 'early-stopped' | 'failed';

/** Which checkpoints each run keeps in the browser's storage (a user setting). */
export type KeepCheckpoints = 'last-and-best' | 'best' | 'none';

/** The checkpoint settings, kept with the lab. */
export interface CheckpointSettings {
  readonly keep: KeepCheckpoints;
  /** A resumable checkpoint at most this many minutes apart during an epoch (and at every epoch end); 0: epoch ends only. */
  readonly everyMinutes: number;
}

/** Where Resume continues a run: its last resumable checkpoint. */
export interface ResumePoint {
  /** Epochs finished at the checkpoint. */
  readonly epoch: number;
  /** Batches of epoch `epoch + 1` trained at the checkpoint; 0 when written at an epoch's end. */
  readonly batch: number;
  /** The run's training time at the checkpoint, ms. */
  readonly elapsedMs: number;
  /** When it was written, ms since 1970. */
  readonly savedAt: number;
}

/** "Run all four regimes" as the lab keeps it, so that a reload or a crash does not lose what was not run yet. */
export interface RunQueue {
  /** The settings every run of the queue shares; each regime brings its own learning rates. */
  readonly base: TrainConfig;
  /** The queue's run started last and its regime; null before the first starts. */
  readonly current: { readonly runId: string; readonly regime: RegimeId } | null;
  /** Regimes not started yet, next first. */
  readonly pending: readonly RegimeId[];
  /** The label of the weights its runs start from: the queue goes on only with the same weights loaded. */
  readonly weightsLabel?: string;
}

/** A run as the lab's storage holds it (what the page shows after a reload). */
export interface SavedRun {
  readonly runId: string;
  /** 1-based, in start order. */
  readonly number: number;
  readonly config: TrainConfig;
  readonly classes: readonly string[];
  readonly weightsLabel: string;
  readonly backend: string | null;
  readonly status: SavedRunStatus;
  readonly history: readonly EpochMetrics[];
  /** Batch metrics of finished epochs (an interrupted epoch is replayed on Resume). */
  readonly batches: readonly BatchMetrics[];
  readonly batchesPerEpoch: number;
  readonly bestEpoch: number;
  readonly startedAt: number;
  readonly totalMs: number | null;
  readonly error: string | null;
  /** Came from a lab file. */
  readonly imported?: boolean;
  /** Trained elsewhere (e.g. "trained in PyTorch … on …"). */
  readonly origin?: string;
  /** The dataset edits the run trained and evaluated with (absent: none, as for runs from before edits existed). */
  readonly edits?: readonly DatasetEdit[];
  /** Its checkpoints were stored and are gone (evicted by the browser): metrics only. */
  readonly evicted?: boolean;
}

/** A saved run with what its checkpoints allow. */
export interface SavedRunView extends SavedRun {
  /** Where Resume continues (the last resumable checkpoint); null when none is kept. */
  readonly resumeAt: ResumePoint | null;
  /** A checkpoint is kept to evaluate and export from. */
  readonly hasWeights: boolean;
}

/** What the lab holds in the browser's storage, and the quota. */
export interface StorageInfo {
  /** Bytes the origin uses and may use (navigator.storage.estimate), null where unknown. */
  readonly usage: number | null;
  readonly quota: number | null;
  readonly datasetBytes: number;
  readonly checkpointBytes: number;
  readonly runs: number;
}

/**
 * Why a run was refused before it started: its estimated peak memory does not fit the backend
 * (worker/memory-check.ts). The page offers to apply `largestBatch`; `lab train` prints the message.
 */
export interface MemoryRefusal {
  readonly backend: 'wasm' | 'webgpu';
  /** The run's estimated peak (bytes). */
  readonly estimateBytes: number;
  /** WASM: the heap's maximum; WebGPU: the adapter's maxBufferSize. */
  readonly limitBytes: number;
  /** What the run could have: WASM, 90% of (limit − held); WebGPU, the largest buffer a kernel can bind. */
  readonly availableBytes: number;
  /** Already held before the run (live tensors). */
  readonly heldBytes: number;
  /** What the run was refused against: the whole run, or (WebGPU) its largest tensor in one buffer. */
  readonly reason: 'total' | 'binding';
  /** The largest batch that fits at the run's input size (0: none). */
  readonly largestBatch: number;
  /** The largest input size (multiple of 16) that fits at the run's batch, or null. */
  readonly largestSize: number | null;
}
