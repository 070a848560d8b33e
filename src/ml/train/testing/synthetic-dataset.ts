import type { Dataset, StoredImage } from '../../../data/dataset.ts';
import type { TrainConfig } from '../../../shared/types.ts';
import { REGIMES, type RegimeId } from '../../../shared/regimes.ts';
import { createRandom } from '../../../shared/random.ts';

/**
 * A learnable toy dataset: 3 classes of small grayscale images (bright left half, bright top half,
 * dark), with seeded noise. Sizes alternate 12×12 and 10×14 so batches mix source sizes.
 */
export function syntheticDataset(perClass: { train: number; validation: number }, seed = 1): Pick<Dataset, 'classes' | 'splits'> {
  const random = createRandom(seed);
  const make = (classIndex: number, i: number): StoredImage => {
    const [width, height] = i % 2 === 0 ? [12, 12] : [10, 14];
    const pixels = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const lit = classIndex === 0 ? x < width / 2 : classIndex === 1 ? y < height / 2 : false;
        pixels[y * width + x] = Math.round((lit ? 170 : 60) + 60 * random());
      }
    }
    return { width, height, channels: 1, pixels, classIndex, path: `class${classIndex}/${i}.png` };
  };
  const split = (n: number, offset: number) => [0, 1, 2].flatMap((c) => Array.from({ length: n }, (_, i) => make(c, offset + i)));
  return {
    classes: ['left', 'top', 'dark'],
    splits: { train: split(perClass.train, 0), validation: split(perClass.validation, 1000), test: [] },
  };
}

/** A small, fast TrainConfig for a regime; augmentation off unless overridden. */
export function testConfig(regime: RegimeId, overrides: Partial<TrainConfig> = {}): TrainConfig {
  return {
    regime,
    learningRates: REGIMES[regime].learningRates,
    momentum: 0.9,
    batchSize: 8,
    epochs: 2,
    inputSize: 16,
    seed: 42,
    augment: {
      hflip: { enabled: false, p: 0.2 },
      rotate: { enabled: false, degrees: 5 },
      perspective: { enabled: false, distortion: 0.1, p: 0.25 },
    },
    exactSeedBehaviour: false,
    schedule: { kind: 'constant' },
    earlyStoppingPatience: 0,
    classWeighted: false,
    resizeMode: 'stretch',
    ...overrides,
  };
}
