/** The seed study's settings as defaults, shared by the page and the `lab` CLI. Plain data. */
import { REGIMES } from './regimes.ts';
import type { AugmentConfig, TrainConfig } from './types.ts';

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
