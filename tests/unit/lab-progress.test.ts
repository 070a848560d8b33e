import { describe, expect, it } from 'vitest';
import { createActivityFollower } from '../../scripts/lab/activity.ts';
import { createProgress, etaSeconds, formatSeconds, plainLine } from '../../scripts/lab/progress.ts';

describe('the lab command line is never silent', () => {
  it('writes a plain line when new work starts and a heartbeat at least every 10 s, with a count and the time left', async () => {
    let clock = 0;
    const lines: string[] = [];
    const progress = createProgress({ tty: false, write: (t) => lines.push(t), now: () => clock, heartbeatMs: 30, minLineMs: 30 });
    progress.set({ label: 'finetune epoch 1/3', done: 0, total: 100, unit: 'batches' });
    expect(lines).toEqual(['finetune epoch 1/3 0/100 batches (0%)…\n']);
    clock = 10_000;
    progress.set({ label: 'finetune epoch 1/3', done: 10, total: 100, unit: 'batches' });
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('finetune epoch 1/3 10/100 batches (10%): 10 s so far, about 1 min 30 s left\n');
    clock = 10_010;
    progress.set({ label: 'finetune epoch 1/3', done: 11, total: 100, unit: 'batches' });
    expect(lines, 'no second line within the interval').toHaveLength(2);
    // Nothing new for a while: the heartbeat still reports.
    clock = 25_000;
    await new Promise((r) => setTimeout(r, 1100));
    progress.stop();
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^finetune epoch 1\/3 11\/100 batches \(11%\): 25 s so far, about \d+ min \d+ s left\n$/);
  });

  it('says text on its own line', () => {
    const lines: string[] = [];
    const progress = createProgress({ tty: false, write: (t) => lines.push(t), now: () => 0 });
    progress.say('backend wasm');
    progress.stop();
    expect(lines).toEqual(['backend wasm\n']);
  });

  it('estimates the time left from the rate since the work began', () => {
    expect(etaSeconds({ label: 'x', done: 25, total: 100 }, { ms: 0, done: 0 }, 5000)).toBeCloseTo(15);
    expect(etaSeconds({ label: 'x', done: 0, total: 100 }, { ms: 0, done: 0 }, 5000)).toBeNull();
    expect(etaSeconds({ label: 'x' }, { ms: 0, done: 0 }, 5000)).toBeNull();
    expect(formatSeconds(3725)).toBe('1 h 02 min');
    expect(plainLine({ label: 'weights: downloading', done: 5, unit: 'MB' }, 3, null)).toBe('weights: downloading: 3 s so far');
    expect(plainLine({ label: 'starting the backend' }, 0, null)).toBe('starting the backend…');
  });

  it('reads the worker’s events as activities: import phases, the first batch, batches, validation, feature caching', () => {
    const follow = createActivityFollower();
    expect(follow({ type: 'dataset/progressed', phase: 'decoding', done: 3, total: 10 })).toEqual({
      label: 'importing the dataset: decoding',
      done: 3,
      total: 10,
      unit: 'images',
    });
    const started = follow({ type: 'train/started', runId: 'r', config: { regime: 'finetune', epochs: 3 }, batchesPerEpoch: 449 });
    expect(started?.label).toBe('finetune epoch 1/3');
    expect(started?.note).toMatch(/first batch/);
    expect(follow({ type: 'train/batchEnded', runId: 'r', metrics: { epoch: 2, batch: 7, batchesPerEpoch: 449 } })).toEqual({
      label: 'finetune epoch 2/3',
      done: 7,
      total: 449,
      unit: 'batches',
    });
    expect(follow({ type: 'train/batchEnded', runId: 'r', metrics: { epoch: 2, batch: 449, batchesPerEpoch: 449 } })).toEqual({
      label: 'finetune epoch 2/3: validating',
    });
    expect(follow({ type: 'train/featuresProgressed', runId: 'r', done: 1, total: 2 })?.label).toMatch(/^finetune: computing the backbone/);
    expect(follow({ type: 'train/epochEnded', runId: 'r' })).toBeNull();
  });

  it('reads the LR sweep’s batches as a count with the current rate and loss, so lr-find reports like training does', () => {
    const follow = createActivityFollower();
    const activity = follow({
      type: 'lr/progressed',
      requestId: 'r',
      maxSteps: 100,
      point: { step: 4, lr: 3.2e-6, loss: 1.9461, smoothedLoss: 1.95 },
    });
    expect(activity).toEqual({ label: 'sweeping the learning rate: lr 3.2e-6, loss 1.946', done: 5, total: 100, unit: 'batches' });
    expect(plainLine(activity!, 12, 30)).toContain('5/100 batches (5%)');
  });
});
