import { describe, expect, it } from 'vitest';
import { REGIME_IDS, REGIMES, type BlockLearningRates } from './regimes.ts';
import { ratesSummary, regimeOfRates, runRegimeName } from './run-naming.ts';
import { DEFAULT_TRAIN_CONFIG } from './train-defaults.ts';
import type { TrainConfig } from './types.ts';

const config = (regime: TrainConfig['regime'], learningRates: BlockLearningRates, patch: Partial<TrainConfig> = {}): TrainConfig => ({
  ...DEFAULT_TRAIN_CONFIG,
  regime,
  learningRates,
  ...patch,
});

describe('what a run is called', () => {
  it('names each regime with its own rates by that regime', () => {
    for (const id of REGIME_IDS) {
      expect(regimeOfRates(REGIMES[id].learningRates)).toBe(id);
      const name = runRegimeName(config(id, REGIMES[id].learningRates, { exactSeedBehaviour: true }));
      expect(name.regime).toBe(id);
      expect(name.custom).toBe(false);
      expect(name.label.startsWith(REGIMES[id].label)).toBe(true);
    }
  });

  it('calls edited rates a custom variant of the regime the run started from', () => {
    const rates = { ...REGIMES.finetune.learningRates, layer3: 0.002 };
    expect(runRegimeName(config('finetune', rates))).toEqual({ regime: 'finetune', custom: true, label: 'Full fine-tune (custom rates)' });
  });

  it('names rates edited back to another regime’s as that regime', () => {
    const name = runRegimeName(config('finetune', { ...REGIMES.discriminative.learningRates }));
    expect(name).toEqual({ regime: 'discriminative', custom: false, label: 'Discriminative learning rates' });
  });

  it('tells the linear probe on cached features from the seed study’s (the backbone every step)', () => {
    const linear = REGIMES.linear.learningRates;
    expect(runRegimeName(config('linear', linear)).label).toBe('Linear probe (cached features)');
    expect(runRegimeName(config('linear', linear, { exactSeedBehaviour: true })).label).toBe(
      'Linear probe (as the seed study: backbone every step)',
    );
    const augmented = { ...DEFAULT_TRAIN_CONFIG.augment, hflip: { enabled: true, p: 0.5 } };
    expect(runRegimeName(config('linear', linear, { augment: augmented })).label).toBe('Linear probe');
  });

  it('shows rates compactly: one backbone rate, or runs of blocks', () => {
    expect(ratesSummary(REGIMES.discriminative.learningRates)).toBe('backbone 0.001 · fc 0.01');
    expect(ratesSummary(REGIMES.linear.learningRates)).toBe('backbone frozen · fc 0.005');
    expect(ratesSummary(REGIMES['frozen-lower'].learningRates)).toBe(
      'conv1–bn1 0.001 · layer1–layer2 frozen · layer3–layer4 0.001 · fc 0.01',
    );
    expect(ratesSummary({ ...REGIMES.finetune.learningRates, layer3: 0.002 })).toBe(
      'conv1–layer2 0.01 · layer3 0.002 · layer4 0.01 · fc 0.01',
    );
  });
});
