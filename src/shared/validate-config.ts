/**
 * Checks a run's settings before any tensor is built, so a bad value gets a message that names
 * it and says what to use, instead of NaN losses or a crash deep inside training.
 */
import { RESNET_BLOCKS } from './regimes.ts';
import type { TrainConfig } from './types.ts';

/** Above this a learning rate diverges at once (the study's largest is 0.01). */
export const MAX_LEARNING_RATE = 1;
const MIN_INPUT = 32;
const MAX_INPUT = 512;

const isInt = (v: number) => Number.isInteger(v);

/** The first problem with `config` for a training split of `trainSize` images, or null. */
export function trainConfigProblem(config: TrainConfig, trainSize: number): string | null {
  for (const block of RESNET_BLOCKS) {
    const rate = config.learningRates[block];
    if (!Number.isFinite(rate) || rate < 0)
      return `The learning rate of ${block} is ${rate}; it must be 0 (frozen) or a positive number such as 0.001.`;
    if (rate > MAX_LEARNING_RATE)
      return `The learning rate of ${block} is ${rate}, too large to train (above ${MAX_LEARNING_RATE}, SGD diverges at once); use 0.0001 to 0.01.`;
  }
  if (RESNET_BLOCKS.every((block) => config.learningRates[block] === 0))
    return 'Every learning rate is 0, so nothing would train; give at least fc a positive rate.';
  if (!Number.isFinite(config.momentum) || config.momentum < 0 || config.momentum >= 1)
    return `Momentum is ${config.momentum}; it must be at least 0 and below 1 (the study used 0.9).`;
  if (!isInt(config.batchSize) || config.batchSize < 1)
    return `The batch size is ${config.batchSize}; it must be a whole number of at least 1.`;
  if (config.batchSize > trainSize)
    return `The batch size (${config.batchSize}) is larger than the training split (${trainSize} images); use at most ${trainSize}.`;
  if (!isInt(config.epochs) || config.epochs < 1 || config.epochs > 1000)
    return `The number of epochs is ${config.epochs}; use a whole number from 1 to 1000.`;
  if (!isInt(config.inputSize) || config.inputSize < MIN_INPUT || config.inputSize > MAX_INPUT)
    return `The input size is ${config.inputSize} px; ResNet50 needs a whole number from ${MIN_INPUT} to ${MAX_INPUT}.`;
  if (!isInt(config.seed)) return `The seed is ${config.seed}; it must be a whole number.`;
  const { hflip, rotate, perspective } = config.augment;
  for (const [name, p] of [
    ['flip', hflip.p],
    ['perspective', perspective.p],
  ] as const)
    if (!(p >= 0 && p <= 1)) return `The ${name} probability is ${p}; it must be between 0 and 1.`;
  if (!(rotate.degrees >= 0 && rotate.degrees <= 180)) return `The rotation is ${rotate.degrees}°; use 0 to 180 degrees.`;
  if (!(perspective.distortion >= 0 && perspective.distortion <= 1))
    return `The perspective distortion is ${perspective.distortion}; it must be between 0 and 1.`;
  if (!isInt(config.earlyStoppingPatience) || config.earlyStoppingPatience < 0)
    return `Early-stopping patience is ${config.earlyStoppingPatience}; use 0 (off) or a whole number of epochs.`;
  return null;
}
