/** The seed study's settings as defaults, shared by the page and the `lab` CLI. Plain data. */
import { REGIMES } from './regimes.ts';
import type { AugmentConfig, CheckpointSettings, DatasetOptions, TrainConfig } from './types.ts';

/** Seed of the split, the shuffle, the augmentation stream and a random init, unless the user sets one. */
export const DEFAULT_SEED = 42;

/** Fraction of train carved out for validation when the data has no validation split. */
export const DEFAULT_VALIDATION_FRACTION = 0.1;

/** Archives whose declared uncompressed size exceeds this are refused (zip bombs). */
export const MAX_UNCOMPRESSED_BYTES = 4 * 1024 ** 3;

/**
 * Classes of a randomly initialised head when nothing says otherwise (no dataset, no fc in the
 * weights): FER2013's seven expressions, the study the lab reproduces.
 */
export const DEFAULT_CLASS_COUNT = 7;

/** How a dataset is split and guarded when the caller says nothing. */
export const DEFAULT_DATASET_OPTIONS: DatasetOptions = {
  validationFraction: DEFAULT_VALIDATION_FRACTION,
  seed: DEFAULT_SEED,
  maxUncompressedBytes: MAX_UNCOMPRESSED_BYTES,
};

/**
 * Checkpoints: the last (resumable, with momentum) and the best of each run, and a resumable one
 * at most every 2 minutes inside an epoch, so a reload or a crash loses at most 2 minutes.
 */
export const DEFAULT_CHECKPOINT_SETTINGS: CheckpointSettings = { keep: 'last-and-best', everyMinutes: 2 };

/** torchvision's ImageNet ResNet50 (V1 weights) as safetensors, via timm on Hugging Face. */
export const DEFAULT_WEIGHTS_URL = 'https://huggingface.co/timm/resnet50.tv_in1k/resolve/main/model.safetensors';

/** torchvision transforms of the study, each off until toggled. */
export const DEFAULT_AUGMENT: AugmentConfig = {
  hflip: { enabled: false, p: 0.2 },
  rotate: { enabled: false, degrees: 5 },
  perspective: { enabled: false, distortion: 0.1, p: 0.25 },
};

/** The seed's best regime (discriminative learning rates), batch 64, 10 epochs at 48 px. */
export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  regime: 'discriminative',
  learningRates: { ...REGIMES.discriminative.learningRates },
  momentum: 0.9,
  batchSize: 64,
  epochs: 10,
  inputSize: 48,
  seed: DEFAULT_SEED,
  augment: DEFAULT_AUGMENT,
  exactSeedBehaviour: false,
  schedule: { kind: 'constant' },
  earlyStoppingPatience: 0,
  classWeighted: false,
  resizeMode: 'stretch',
};
