/** Defaults of the training setup: the seed study's settings, so a first run reproduces it. */
import { DEFAULT_TRAIN_CONFIG } from '../shared/train-defaults.ts';
import type { SplitGrouping, TrainConfig } from '../shared/types.ts';

import { DEFAULT_VALIDATION_FRACTION } from '../shared/train-defaults.ts';

export {
  DEFAULT_AUGMENT,
  DEFAULT_TRAIN_CONFIG,
  DEFAULT_VALIDATION_FRACTION,
  DEFAULT_WEIGHTS_URL,
  MAX_UNCOMPRESSED_BYTES,
} from '../shared/train-defaults.ts';

/** Square input sizes the model can be trained at, in pixels. FER2013 images are 48x48. */
export const INPUT_SIZES = [48, 64, 96, 112, 160, 224] as const;

/** Batch sizes offered in the UI. */
export const BATCH_SIZES = [16, 32, 64, 128] as const;

/** How validation is carved from train at import: by subject when evident (`auto`), per image, or by a pattern's capture group. */
export interface GroupingConfig {
  readonly by: SplitGrouping;
  /** Regular expression with one capture group, used when `by` is `pattern`. */
  readonly pattern: string;
}

/** Everything a shared link reproduces: the training config plus how validation is split. */
export interface LabConfig {
  readonly train: TrainConfig;
  readonly validationFraction: number;
  readonly grouping: GroupingConfig;
}

/** The default setup. */
export const DEFAULT_LAB_CONFIG: LabConfig = {
  train: DEFAULT_TRAIN_CONFIG,
  validationFraction: DEFAULT_VALIDATION_FRACTION,
  grouping: { by: 'auto', pattern: '' },
};
