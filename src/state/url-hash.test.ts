import { describe, expect, it } from 'vitest';
import { DEFAULT_LAB_CONFIG, type LabConfig } from './config-defaults.ts';
import { decodeConfigHash, encodeConfigHash } from './url-hash.ts';

describe('config in the URL hash', () => {
  it('round-trips a setup that differs from the defaults everywhere', () => {
    const t = DEFAULT_LAB_CONFIG.train;
    const config: LabConfig = {
      validationFraction: 0.2,
      grouping: { by: 'pattern', pattern: '^[^/]+/(S\\d+)_' },
      train: {
        ...t,
        regime: 'linear',
        learningRates: { conv1: 0, bn1: 0, layer1: 0, layer2: 0, layer3: 0.0005, layer4: 0.001, fc: 0.005 },
        momentum: 0.8,
        batchSize: 32,
        epochs: 3,
        inputSize: 224,
        seed: 7,
        augment: {
          hflip: { enabled: true, p: 0.5 },
          rotate: { enabled: true, degrees: 10 },
          perspective: { enabled: true, distortion: 0.2, p: 0.3 },
        },
        exactSeedBehaviour: true,
        schedule: { kind: 'step', everyEpochs: 4, gamma: 0.5 },
        earlyStoppingPatience: 2,
        classWeighted: true,
        resizeMode: 'center-crop',
      },
    };
    expect(decodeConfigHash(`#${encodeConfigHash(config)}`)).toEqual(config);
    expect(decodeConfigHash(encodeConfigHash(DEFAULT_LAB_CONFIG))).toEqual(DEFAULT_LAB_CONFIG);
  });

  it('keeps defaults for missing or invalid keys', () => {
    const decoded = decodeConfigHash('#regime=bogus&batch=-3&size=50&epochs=5');
    expect(decoded.train.regime).toBe(DEFAULT_LAB_CONFIG.train.regime);
    expect(decoded.train.batchSize).toBe(64);
    expect(decoded.train.inputSize).toBe(48);
    expect(decoded.train.epochs).toBe(5);
  });
});
