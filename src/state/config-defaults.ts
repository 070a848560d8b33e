/** Defaults of the training setup: the seed study's settings, so a first run reproduces it. */
import { REGIMES } from '../shared/regimes.ts';
import type { AugmentConfig, TrainConfig } from '../shared/types.ts';

/** Square input sizes the model can be trained at, in pixels. FER2013 images are 48x48. */
export const INPUT_SIZES = [48, 64, 96, 112, 160, 224] as const;

/** Batch sizes offered in the UI. */
export const BATCH_SIZES = [16, 32, 64, 128] as const;

/** Fraction of train carved out for validation when the data has no validation split. */
export const DEFAULT_VALIDATION_FRACTION = 0.1;

/** Archives whose declared uncompressed size exceeds this are refused (zip bombs). */
export const MAX_UNCOMPRESSED_BYTES = 4 * 1024 ** 3;

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
  seed: 42,
  augment: DEFAULT_AUGMENT,
  exactSeedBehaviour: false,
  schedule: { kind: 'constant' },
  earlyStoppingPatience: 0,
  classWeighted: false,
  resizeMode: 'stretch',
};

/** Everything a shared link reproduces: the training config plus how validation is split. */
export interface LabConfig {
  readonly train: TrainConfig;
  readonly validationFraction: number;
}

/** The default setup. */
export const DEFAULT_LAB_CONFIG: LabConfig = { train: DEFAULT_TRAIN_CONFIG, validationFraction: DEFAULT_VALIDATION_FRACTION };
