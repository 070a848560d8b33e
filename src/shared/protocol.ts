/**
 * The one contract between the page and the training worker. Commands go in, events come out;
 * both are discriminated by `type`. Requests that expect a reply carry `requestId`; everything
 * about a training run carries `runId`. Failures are an ordinary `error` event naming the command.
 */
import type {
  AugmentConfig,
  BackendInfo,
  BackendName,
  BatchMetrics,
  CheckpointSettings,
  DatasetEdit,
  DatasetOptions,
  DatasetSummary,
  EpochMetrics,
  ExportFile,
  GradCamMap,
  LrFindPoint,
  LrFindResult,
  MemoryRefusal,
  RawImage,
  ResumePoint,
  RunQueue,
  SavedRunView,
  SplitName,
  TopLoss,
  StorageInfo,
  TrainConfig,
  WeightsInfo,
} from './types.ts';

export type DatasetSource =
  | { readonly kind: 'demo' }
  /** A zip, a CSV, or loose files (each with its relative path; the parent folder names the class). */
  | { readonly kind: 'archive'; readonly name: string; readonly data: ArrayBuffer }
  | { readonly kind: 'files'; readonly name: string; readonly files: readonly { readonly path: string; readonly data: ArrayBuffer }[] };

export type WeightsRequest =
  /** Cache first, then the local `models/resnet50/` copy, then the URL. */
  | { readonly kind: 'pretrained'; readonly url: string; readonly allowDownload: boolean }
  /** One weights file, told apart by its bytes: .safetensors, or PyTorch's torch.save (.pth, .pt, pytorch_model.bin). */
  | { readonly kind: 'file'; readonly name: string; readonly data: ArrayBuffer }
  | { readonly kind: 'tfjs'; readonly files: readonly { readonly name: string; readonly data: ArrayBuffer }[] }
  | { readonly kind: 'random'; readonly seed: number };

export type ExportFormat = 'tfjs' | 'safetensors' | 'onnx' | 'metrics';

/** One classified image; `error` instead of numbers when it could not be decoded. */
export interface PredictedFile {
  readonly name: string;
  readonly logits?: readonly number[];
  readonly probabilities?: readonly number[];
  readonly top?: { readonly index: number; readonly label: string; readonly probability: number };
  /** With `cam`: Grad-CAM of the top class at layer4's resolution (rows of numbers), and its overlay as a PNG at the input size. */
  readonly cam?: { readonly classIndex: number; readonly label: string; readonly map: readonly (readonly number[])[] };
  readonly overlay?: ExportFile;
  readonly error?: string;
}

/** What `storage/forget` deletes. */
export type ForgetTarget =
  | { readonly kind: 'dataset' }
  | { readonly kind: 'weights' }
  | { readonly kind: 'run'; readonly runId: string }
  | { readonly kind: 'checkpoints'; readonly runId: string };

export type Command =
  /**
   * Opens the browser's lab storage, restores its dataset and runs, and saves from now on (the app;
   * not the CLI). With `settings`, they replace the stored checkpoint settings; without, the stored
   * ones (or the defaults) hold.
   */
  | {
      readonly type: 'lab/open';
      readonly requestId: string;
      readonly settings?: CheckpointSettings;
      /**
       * Reads the stored lab without keeping the storage open (nothing is saved from this tab): for a
       * tab that waits while another tab holds the lab. A later plain `lab/open` takes it over.
       */
      readonly readOnly?: boolean;
    }
  /** Continues an interrupted run from its last checkpoint (mid-epoch: with the next batch). */
  | { readonly type: 'train/resume'; readonly runId: string }
  /** Trains an interrupted run that cannot resume again from its start, with the same settings, as the same run. */
  | { readonly type: 'train/restart'; readonly runId: string }
  /** Stores the run queue (null: there is none any more), so a reload or a crash lists what was not run yet. */
  | { readonly type: 'queue/save'; readonly queue: RunQueue | null }
  | { readonly type: 'storage/forget'; readonly requestId: string; readonly target: ForgetTarget }
  /** Every stored run (settings, metrics, best checkpoint) as one lab file. */
  | { readonly type: 'lab/export'; readonly requestId: string }
  | { readonly type: 'lab/import'; readonly requestId: string; readonly data: ArrayBuffer }
  | { readonly type: 'backend/init'; readonly requestId: string; readonly preferred: BackendName | 'auto' }
  /** For end-to-end tests: destroys the WebGPU device, as a driver reset or a reclaimed GPU would. */
  | { readonly type: 'backend/loseDevice' }
  | { readonly type: 'dataset/load'; readonly requestId: string; readonly source: DatasetSource; readonly options: DatasetOptions }
  | { readonly type: 'dataset/cancel'; readonly requestId: string }
  /**
   * Relabels image `path` of `split` of the loaded dataset to class `to`, or excludes it (`to` null);
   * replaces that image's earlier edit. Kept with the stored dataset, used by the next run.
   */
  | {
      readonly type: 'dataset/edit';
      readonly requestId: string;
      readonly split: SplitName;
      readonly path: string;
      readonly to: number | null;
    }
  /** Takes back the edit of one image (`target`), or every edit (`target` null). */
  | {
      readonly type: 'dataset/undoEdit';
      readonly requestId: string;
      readonly target: { readonly split: SplitName; readonly path: string } | null;
    }
  | { readonly type: 'weights/load'; readonly requestId: string; readonly request: WeightsRequest }
  | {
      readonly type: 'augment/preview';
      readonly requestId: string;
      readonly augment: AugmentConfig;
      readonly inputSize: number;
      readonly seed: number;
      readonly count: number;
    }
  | { readonly type: 'train/start'; readonly runId: string; readonly config: TrainConfig }
  | { readonly type: 'train/stop'; readonly runId: string }
  | { readonly type: 'predict/image'; readonly requestId: string; readonly runId: string | null; readonly image: RawImage }
  /** Grad-CAM of one image with a run's model (null: the newest finished run) for `classIndex` (null: the predicted class). */
  | {
      readonly type: 'explain/gradCam';
      readonly requestId: string;
      readonly runId: string | null;
      readonly image: RawImage;
      readonly classIndex: number | null;
    }
  | {
      readonly type: 'evaluate/misclassified';
      readonly requestId: string;
      readonly runId: string;
      /** The epoch whose confusion matrix is shown (default: the latest evaluated). */
      readonly epoch?: number;
      readonly trueClass: number;
      readonly predictedClass: number;
      readonly limit: number;
    }
  /**
   * LR range test for `config`'s regime from the weights a new run would start from (the loaded base
   * weights, or the seeded random init); they are restored afterwards, no run is made.
   */
  | {
      readonly type: 'lr/find';
      readonly requestId: string;
      readonly config: TrainConfig;
      readonly startLr: number;
      readonly endLr: number;
      readonly maxSteps: number;
    }
  /** Stops the LR sweep of request `requestId` after its current batch; it answers with the curve so far. */
  | { readonly type: 'lr/stop'; readonly requestId: string }
  /** The `limit` images of a run's split with the highest loss under the run's current weights (top losses). */
  | {
      readonly type: 'evaluate/topLosses';
      readonly requestId: string;
      readonly runId: string;
      readonly split: 'validation' | 'test';
      readonly limit: number;
    }
  | { readonly type: 'export/run'; readonly requestId: string; readonly runId: string; readonly format: ExportFormat }
  /** The session's loaded base weights as TensorFlow.js layers files (what `lab convert` writes). */
  | { readonly type: 'weights/export'; readonly requestId: string; readonly inputSize: number }
  /** Decodes encoded images in the worker and classifies them with a run (null: newest run, else the base weights). */
  | {
      readonly type: 'predict/files';
      readonly requestId: string;
      readonly runId: string | null;
      readonly inputSize: number;
      readonly files: readonly { readonly name: string; readonly data: ArrayBuffer }[];
      /** Also Grad-CAM of each image's top class, with an overlay PNG. */
      readonly cam?: boolean;
    }
  /**
   * The data files of a PyTorch project (config.json, split.json, and start-weights.safetensors when the
   * base weights came from a file): a finished run's (runId), or `config` on the loaded dataset (runId null).
   */
  | {
      readonly type: 'export/pytorch';
      readonly requestId: string;
      readonly runId: string | null;
      readonly config: TrainConfig;
      /** 'imagenet': torchvision downloads its ImageNet weights, whatever the session holds (the default: the session's). */
      readonly startFrom?: 'session' | 'imagenet';
    }
  /** A run trained elsewhere (train.py's metrics.json), with its weights when given; it becomes `runId`. */
  | {
      readonly type: 'run/import';
      readonly requestId: string;
      readonly runId: string;
      readonly metrics: { readonly name: string; readonly data: ArrayBuffer };
      readonly weights: { readonly name: string; readonly data: ArrayBuffer } | null;
    };

export type CommandType = Command['type'];

export type WorkerEvent =
  | { readonly type: 'worker/ready' }
  /** The stored lab: dataset (null if none), runs, and what storage holds. */
  | {
      readonly type: 'lab/opened';
      readonly requestId: string;
      readonly dataset: DatasetSummary | null;
      /** The stored edits of that dataset (absent or empty: none). */
      readonly edits?: readonly DatasetEdit[];
      readonly runs: readonly SavedRunView[];
      readonly storage: StorageInfo;
      readonly settings: CheckpointSettings;
      /** The run queue as last saved (the page had it when it went away), or null. */
      readonly queue: RunQueue | null;
    }
  /** Storage changed (a write, a forget, an import); `runs` when the stored runs changed. */
  | {
      readonly type: 'storage/changed';
      readonly requestId?: string;
      readonly storage: StorageInfo;
      readonly runs?: readonly SavedRunView[];
    }
  /** A save failed (quota, a closed database); what was stored before is kept. */
  | { readonly type: 'storage/failed'; readonly message: string }
  | { readonly type: 'backend/ready'; readonly requestId: string; readonly info: BackendInfo }
  | {
      readonly type: 'dataset/progressed';
      readonly requestId: string;
      readonly done: number;
      readonly total: number;
      readonly phase: 'unzipping' | 'decoding' | 'splitting';
    }
  | { readonly type: 'dataset/loaded'; readonly requestId: string; readonly summary: DatasetSummary }
  /** The loaded dataset's edits after a `dataset/edit` or `dataset/undoEdit` (a new dataset starts with none). */
  | { readonly type: 'dataset/edited'; readonly requestId: string; readonly edits: readonly DatasetEdit[] }
  | {
      readonly type: 'weights/progressed';
      readonly requestId: string;
      readonly loadedBytes: number;
      readonly totalBytes: number | null;
      readonly phase: 'downloading' | 'converting' | 'caching';
    }
  | { readonly type: 'weights/loaded'; readonly requestId: string; readonly info: WeightsInfo }
  | { readonly type: 'augment/previewed'; readonly requestId: string; readonly images: readonly RawImage[] }
  | {
      readonly type: 'train/started';
      readonly runId: string;
      readonly config: TrainConfig;
      readonly batchesPerEpoch: number;
      readonly classes: readonly string[];
      /** The dataset edits it trains and evaluates with (absent or empty: none). */
      readonly edits?: readonly DatasetEdit[];
      /** Resumed runs: the checkpoint it continues from (epochs finished, batches of the next one trained). */
      readonly resumedFrom?: ResumePoint;
    }
  | { readonly type: 'train/batchEnded'; readonly runId: string; readonly metrics: BatchMetrics }
  /**
   * A checkpoint of the run is written (mid-epoch or at an epoch's end). `resumeAt`: where Resume
   * would continue from now (null when the setting keeps no resumable one). `writeMs`: from the
   * batch boundary it was taken at to its commit; `blockedMs`: of that, the time training waited.
   */
  | {
      readonly type: 'train/checkpointSaved';
      readonly runId: string;
      readonly resumeAt: ResumePoint | null;
      readonly bytes: number;
      readonly writeMs: number;
      readonly blockedMs: number;
      /** Of `blockedMs`, the IndexedDB put's synchronous part (its structured clone: of a Blob, no bytes). */
      readonly storeBlockedMs: number;
    }
  /**
   * A checkpoint of the run could not be written (quota, disk): the run trains on without more
   * checkpoints, its last stored one kept. `message` says what failed and what is kept, `hint` what to do.
   */
  | { readonly type: 'train/checkpointsStopped'; readonly runId: string; readonly message: string; readonly hint: string }
  /** Linear probe fast path: the backbone's features computed so far (before the first epoch). */
  | { readonly type: 'train/featuresProgressed'; readonly runId: string; readonly done: number; readonly total: number }
  | {
      readonly type: 'train/epochEnded';
      readonly runId: string;
      readonly metrics: EpochMetrics;
      readonly memory: { readonly numTensors: number; readonly numBytes: number };
    }
  | {
      readonly type: 'train/finished';
      readonly runId: string;
      readonly reason: 'completed' | 'stopped' | 'early-stopped' | 'failed';
      readonly bestEpoch: number;
      readonly totalMs: number;
    }
  | {
      readonly type: 'predict/done';
      readonly requestId: string;
      readonly probabilities: readonly number[];
      readonly classes: readonly string[];
    }
  | {
      readonly type: 'explain/gradCamComputed';
      readonly requestId: string;
      readonly classes: readonly string[];
      readonly probabilities: readonly number[];
      /** The image as the model saw it (resized to the run's input size, RGB): the map lines up with it. */
      readonly input: RawImage;
      readonly cam: GradCamMap;
    }
  | {
      readonly type: 'predict/filesDone';
      readonly requestId: string;
      readonly classes: readonly string[];
      readonly results: readonly PredictedFile[];
    }
  | {
      readonly type: 'evaluate/misclassifiedListed';
      readonly requestId: string;
      /** The cell's validation images, each with its path in the dataset (to relabel or exclude it). */
      readonly images: readonly (RawImage & { readonly path: string })[];
    }
  /** One batch of the LR sweep in progress (batch `point.step + 1` of at most `maxSteps`). */
  | { readonly type: 'lr/progressed'; readonly requestId: string; readonly point: LrFindPoint; readonly maxSteps: number }
  | ({ readonly type: 'lr/found'; readonly requestId: string; readonly ms: number } & LrFindResult)
  | {
      readonly type: 'evaluate/topLossesListed';
      readonly requestId: string;
      readonly split: 'validation' | 'test';
      /** Images of the split evaluated, and their mean loss. */
      readonly evaluated: number;
      readonly meanLoss: number;
      readonly items: readonly TopLoss[];
    }
  | { readonly type: 'export/ready'; readonly requestId: string; readonly files: readonly ExportFile[] }
  | {
      readonly type: 'run/imported';
      readonly requestId: string;
      readonly runId: string;
      readonly config: TrainConfig;
      readonly classes: readonly string[];
      readonly epochs: readonly EpochMetrics[];
      readonly batches: readonly BatchMetrics[];
      readonly bestEpoch: number;
      readonly reason: 'completed' | 'stopped' | 'early-stopped';
      readonly totalMs: number;
      /** Where it was trained, e.g. "trained in PyTorch 1.13.0 on 2 × CPU (x86_64) (gloo)". */
      readonly origin: string;
      /** Whether weights came with it (Try it and model exports need them). */
      readonly hasWeights: boolean;
      /** Images per split and class the run used, when the file says. */
      readonly counts: Readonly<Record<'train' | 'validation' | 'test', readonly number[]>> | null;
    }
  | {
      readonly type: 'error';
      readonly command: CommandType | 'worker';
      readonly requestId?: string;
      readonly runId?: string;
      readonly message: string;
      /** `train/start` refused because the run would not fit in memory: what the page needs for its "apply" button. */
      readonly memory?: MemoryRefusal;
    };

export type EventType = WorkerEvent['type'];
export type EventOf<T extends EventType> = Extract<WorkerEvent, { type: T }>;
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;

/** The event each request command is answered with (an `error` event with its requestId otherwise). */
export const REPLY_TYPE = {
  'backend/init': 'backend/ready',
  'dataset/load': 'dataset/loaded',
  'dataset/edit': 'dataset/edited',
  'dataset/undoEdit': 'dataset/edited',
  'weights/load': 'weights/loaded',
  'augment/preview': 'augment/previewed',
  'predict/image': 'predict/done',
  'explain/gradCam': 'explain/gradCamComputed',
  'evaluate/misclassified': 'evaluate/misclassifiedListed',
  'evaluate/topLosses': 'evaluate/topLossesListed',
  'lr/find': 'lr/found',
  'export/run': 'export/ready',
  'weights/export': 'export/ready',
  'predict/files': 'predict/filesDone',
  'lab/open': 'lab/opened',
  'storage/forget': 'storage/changed',
  'lab/export': 'export/ready',
  'lab/import': 'storage/changed',
  'export/pytorch': 'export/ready',
  'run/import': 'run/imported',
} as const satisfies { readonly [C in CommandType]?: EventType };

/** Commands that expect a reply. */
export type RequestType = keyof typeof REPLY_TYPE;
export type RequestCommand = CommandOf<RequestType>;
/** The reply event of request command `C`. */
export type ReplyOf<C extends RequestType> = EventOf<(typeof REPLY_TYPE)[C]>;

/** ArrayBuffers inside a message, to pass as transferables (never copied, never base64). */
export function transferablesOf(message: Command | WorkerEvent): Transferable[] {
  const out: Transferable[] = [];
  const visit = (value: unknown): void => {
    if (value instanceof ArrayBuffer) out.push(value);
    else if (ArrayBuffer.isView(value)) {
      if (value.buffer instanceof ArrayBuffer && value.byteOffset === 0 && value.byteLength === value.buffer.byteLength)
        out.push(value.buffer);
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(message);
  return [...new Set(out)];
}
