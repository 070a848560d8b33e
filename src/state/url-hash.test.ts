import { describe, expect, it } from 'vitest';
import { DEFAULT_LAB_CONFIG, type LabConfig } from './config-defaults.ts';
import { REGIME_IDS, REGIMES } from '../shared/regimes.ts';
import { decodeConfigHash, encodeConfigHash, readConfigHash } from './url-hash.ts';

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

  it('gives a regime named without valid learning rates that regime’s own rates', () => {
    for (const id of REGIME_IDS) {
      const { config, problems } = readConfigHash(`#regime=${id}&batch=64&size=224&epochs=1`);
      expect(config.train.regime).toBe(id);
      expect(config.train.learningRates, id).toEqual(REGIMES[id].learningRates);
      expect(problems).toEqual([]);
    }
  });

  it('reports a malformed lr (and any other unusable key) and uses the regime’s rates, never the default’s', () => {
    for (const lr of ['0.1,0.2', 'a,b,c,d,e,f,g', '0,0,0,0,0,0,99', '']) {
      const { config, problems } = readConfigHash(`#regime=linear&lr=${lr}&size=32&epochs=2`);
      expect(config.train.learningRates, lr).toEqual(REGIMES.linear.learningRates);
      expect(
        problems.some((m) => m.startsWith(`lr=${lr} is not 7 learning rates`)),
        problems.join(' | '),
      ).toBe(true);
      expect(
        problems.some((m) => m.startsWith('size=32 is not an input size the lab offers')),
        problems.join(' | '),
      ).toBe(true);
      expect(config.train.epochs).toBe(2);
    }
    expect(readConfigHash('#regime=bogus').problems).toEqual([expect.stringMatching(/^regime=bogus is not one of linear/)]);
  });
});
