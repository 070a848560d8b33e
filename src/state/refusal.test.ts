import { describe, expect, it } from 'vitest';
import type { MemoryRefusal } from '../shared/types.ts';
import { DEFAULT_TRAIN_CONFIG } from './config-defaults.ts';
import { createLabStore } from './store.ts';

const refusal: MemoryRefusal = {
  backend: 'wasm',
  estimateBytes: 13e9,
  limitBytes: 4294901760,
  availableBytes: 3.7e9,
  heldBytes: 1e8,
  reason: 'total',
  largestBatch: 17,
  largestSize: 112,
};

describe('a Start refused for memory', () => {
  it('leaves no run behind and keeps the refusal, with the batch that fits, until the next Start', () => {
    const store = createLabStore();
    store.getState().runRequested('r', { ...DEFAULT_TRAIN_CONFIG, batchSize: 64 }, 0);
    store.getState().applyEvents([{ type: 'error', command: 'train/start', runId: 'r', message: 'Not started: …', memory: refusal }], 0);
    const s = store.getState();
    expect(s.runs.r).toBeUndefined();
    expect(s.runOrder).toEqual([]);
    expect(s.selectedRunIds).toEqual([]);
    expect(s.messages).toEqual([]);
    expect(s.refusal).toMatchObject({ message: 'Not started: …', refusal: { largestBatch: 17 }, config: { batchSize: 64 } });
    store.getState().runRequested('r2', { ...DEFAULT_TRAIN_CONFIG, batchSize: 17 }, 0);
    expect(store.getState().refusal).toBeNull();
  });

  it('makes a queue whose run it was wait instead of seeming to train', () => {
    const store = createLabStore();
    const base = DEFAULT_TRAIN_CONFIG;
    store.getState().setQueue({ base, current: { runId: 'q1', regime: 'linear' }, pending: ['finetune'], waiting: false });
    store.getState().runRequested('q1', base, 0);
    store.getState().applyEvents([{ type: 'error', command: 'train/start', runId: 'q1', message: 'Not started', memory: refusal }], 0);
    expect(store.getState().queue?.waiting).toBe(true);
  });
});
