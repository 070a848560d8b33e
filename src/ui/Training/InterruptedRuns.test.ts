import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../../shared/train-defaults.ts';
import type { EpochMetrics } from '../../shared/types.ts';
import { interruptedText } from './InterruptedRuns.tsx';

const config = { ...DEFAULT_TRAIN_CONFIG, epochs: 3 };
const epochs = [{ epoch: 1 } as EpochMetrics];

describe('interruptedText', () => {
  it('names the batch Resume continues with after a mid-epoch checkpoint, and the training it keeps', () => {
    const text = interruptedText({ config, epochs, resumeAt: { epoch: 1, batch: 40, elapsedMs: 125_000, savedAt: 0 } });
    expect(text).toBe(
      'interrupted in epoch 2 of 3. Resume continues with batch 41 of epoch 2 (2 min 05 s of training kept), exactly as if it had not stopped.',
    );
  });

  it('a run whose checkpoint the browser evicted says so', () => {
    expect(interruptedText({ config, epochs, resumeAt: null, evicted: true })).toBe(
      'interrupted in epoch 2 of 3: checkpoint evicted by the browser: the metrics are kept, the weights are gone; start again with the same settings.',
    );
  });

  it('after an epoch-end checkpoint, the next epoch; without a checkpoint, that it cannot resume', () => {
    expect(interruptedText({ config, epochs, resumeAt: { epoch: 1, batch: 0, elapsedMs: 0, savedAt: 0 } })).toMatch(
      /Resume continues with epoch 2, exactly/,
    );
    expect(interruptedText({ config, epochs: [], resumeAt: null })).toBe(
      'interrupted in epoch 1 of 3: no checkpoint was saved before it stopped, so it cannot resume.',
    );
  });
});
