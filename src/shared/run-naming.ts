/**
 * What a run is called, from what it trained: the regime whose learning rates it used (a run whose
 * rates were edited is a custom variant of the regime it started from; rates equal to another
 * regime's are that regime), and its rates in a compact form. One module for the app's labels, the
 * exports and `lab train`, so a run is never shown under a regime it did not train.
 */
import { REGIME_IDS, REGIMES, RESNET_BLOCKS, type BlockLearningRates, type RegimeId, type ResNetBlock } from './regimes.ts';
import type { AugmentConfig, TrainConfig } from './types.ts';

/** True when some augmentation can change an image. */
export function augmentationActive(config: AugmentConfig): boolean {
  return (
    (config.hflip.enabled && config.hflip.p > 0) ||
    (config.rotate.enabled && config.rotate.degrees > 0) ||
    (config.perspective.enabled && config.perspective.p > 0 && config.perspective.distortion > 0)
  );
}

/** True when only the classifier trains (a linear probe's rates): the backbone is frozen. */
export function onlyClassifierTrains(learningRates: BlockLearningRates): boolean {
  return RESNET_BLOCKS.every((block) => (block === 'fc' ? learningRates[block] > 0 : learningRates[block] === 0));
}

/**
 * The linear probe's fast path: only fc trains, nothing is augmented, and the seed's exact behaviour
 * (the backbone every step, BatchNorm in training mode) was not asked for. Features are then computed
 * once per image and cached.
 */
export function usesCachedFeatures(config: Pick<TrainConfig, 'learningRates' | 'augment' | 'exactSeedBehaviour'>): boolean {
  return onlyClassifierTrains(config.learningRates) && !augmentationActive(config.augment) && !config.exactSeedBehaviour;
}

/** The regime whose learning rates these are exactly, or null (edited rates). */
export function regimeOfRates(learningRates: BlockLearningRates): RegimeId | null {
  return REGIME_IDS.find((id) => RESNET_BLOCKS.every((b) => REGIMES[id].learningRates[b] === learningRates[b])) ?? null;
}

/** How a run is named, and whether its rates are its regime's own. */
export interface RunRegimeName {
  /** The regime the name uses: the one the rates match, else the one the run started from. */
  readonly regime: RegimeId;
  /** The rates match no regime: "(custom rates)". */
  readonly custom: boolean;
  /** "Full fine-tune", "Full fine-tune (custom rates)", "Linear probe (cached features)". */
  readonly label: string;
}

/** The name of what a run trained (see the file comment). */
export function runRegimeName(config: Pick<TrainConfig, 'regime' | 'learningRates' | 'augment' | 'exactSeedBehaviour'>): RunRegimeName {
  const matched = regimeOfRates(config.learningRates);
  const regime = matched ?? config.regime;
  let label = REGIMES[regime].label;
  if (!matched) label += ' (custom rates)';
  else if (matched === 'linear') {
    // The seed study's linear probe ran the backbone every step with BatchNorm in training mode;
    // the lab's default caches the features (BatchNorm in inference mode), which trains differently.
    if (config.exactSeedBehaviour) label += ' (as the seed study: backbone every step)';
    else if (usesCachedFeatures(config)) label += ' (cached features)';
  }
  return { regime, custom: matched === null, label };
}

const rate = (lr: number): string => (lr === 0 ? 'frozen' : String(lr));

/**
 * A run's learning rates in a compact form: "backbone 0.001 · fc 0.01" when every backbone block
 * shares one rate, else consecutive blocks of one rate together: "conv1–bn1 0.001 · layer1–layer2
 * frozen · layer3–layer4 0.001 · fc 0.01".
 */
export function ratesSummary(learningRates: BlockLearningRates): string {
  const backbone = RESNET_BLOCKS.filter((b) => b !== 'fc');
  const first = learningRates[backbone[0]!];
  if (backbone.every((b) => learningRates[b] === first)) return `backbone ${rate(first)} · fc ${rate(learningRates.fc)}`;
  const parts: string[] = [];
  let start: ResNetBlock = backbone[0]!;
  backbone.forEach((block, i) => {
    const next = backbone[i + 1];
    if (next !== undefined && learningRates[next] === learningRates[block]) return;
    parts.push(`${start === block ? block : `${start}–${block}`} ${rate(learningRates[block])}`);
    if (next !== undefined) start = next;
  });
  return `${parts.join(' · ')} · fc ${rate(learningRates.fc)}`;
}
