import { describe, expect, it } from 'vitest';
import { connectStore } from './connect-store.ts';
import type { WorkerEvent } from '../shared/protocol.ts';
import { DEFAULT_TRAIN_CONFIG } from '../shared/train-defaults.ts';
import { createFrameBatcher, type FrameScheduler } from './frame-batcher.ts';
import { createLabStore } from '../state/store.ts';

function fakeScheduler() {
  const callbacks = new Map<number, () => void>();
  let next = 1;
  const scheduler: FrameScheduler = { request: (cb) => (callbacks.set(next, cb), next++), cancel: (h) => void callbacks.delete(h) };
  const frame = () => {
    const due = [...callbacks.values()];
    callbacks.clear();
    due.forEach((cb) => cb());
  };
  return { scheduler, frame, pending: () => callbacks.size };
}

describe('frame batcher', () => {
  it('delivers everything pushed between frames in one flush, in order, and schedules one frame', () => {
    const fake = fakeScheduler();
    const flushes: number[][] = [];
    const batcher = createFrameBatcher<number>((items) => flushes.push(items), fake.scheduler);
    [1, 2, 3].forEach((n) => batcher.push(n));
    expect(fake.pending()).toBe(1);
    expect(flushes).toEqual([]);
    fake.frame();
    expect(flushes).toEqual([[1, 2, 3]]);
    fake.frame();
    expect(flushes).toHaveLength(1);
  });

  it('flushNow delivers the queue with the new item and cancels the pending frame', () => {
    const fake = fakeScheduler();
    const flushes: number[][] = [];
    const batcher = createFrameBatcher<number>((items) => flushes.push(items), fake.scheduler);
    batcher.push(1);
    batcher.flushNow(2);
    expect(flushes).toEqual([[1, 2]]);
    expect(fake.pending()).toBe(0);
  });
});

describe('connectStore', () => {
  it('turns a burst of batch events into one store update per frame, and starts the next queued regime when a run finishes', () => {
    const fake = fakeScheduler();
    let listener: (e: WorkerEvent) => void = () => undefined;
    const sent: unknown[] = [];
    let id = 0;
    const client = {
      subscribe: (l: (e: WorkerEvent) => void) => ((listener = l), () => undefined),
      send: (c: unknown) => void sent.push(c),
      request: () => new Promise<never>(() => undefined),
      newId: (p: string) => `${p}-${++id}`,
    };
    const store = createLabStore();
    const { commands } = connectStore(client, store, fake.scheduler, () => 0);
    let updates = 0;
    store.subscribe(() => updates++);
    commands.runAllRegimes(['linear', 'finetune']);
    const runId = store.getState().runOrder[0]!;
    updates = 0;
    for (let b = 0; b < 50; b++)
      listener({
        type: 'train/batchEnded',
        runId,
        metrics: { epoch: 1, batch: b, batchesPerEpoch: 50, loss: 1, accuracy: 0.5, imagesPerSecond: 1 },
      });
    expect(updates).toBe(0);
    fake.frame();
    expect(updates).toBe(1);
    expect(store.getState().runs[runId]!.batches).toHaveLength(50);
    listener({ type: 'train/finished', runId, reason: 'completed', bestEpoch: 1, totalMs: 1 });
    expect(store.getState().runOrder).toHaveLength(2);
    expect(sent.at(-1)).toMatchObject({ type: 'train/start', config: { regime: 'finetune', seed: DEFAULT_TRAIN_CONFIG.seed } });
    expect(store.getState().queue).toMatchObject({ pending: [], base: DEFAULT_TRAIN_CONFIG, waiting: false });
  });
});
