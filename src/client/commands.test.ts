import { describe, expect, it } from 'vitest';
import type { Command } from '../shared/protocol.ts';
import type { MemoryRefusal } from '../shared/types.ts';
import { createLabCommands, type LabPort } from './commands.ts';
import { createLabStore } from '../state/store.ts';

function fakePort() {
  const sent: Command[] = [];
  let id = 0;
  const port = {
    send: (c: Command) => void sent.push(c),
    request: (c: Command) => (sent.push(c), new Promise<never>(() => undefined)),
    newId: (prefix: string) => `${prefix}-${++id}`,
  } as unknown as LabPort;
  return { port, sent };
}

describe('commands', () => {
  it('"run all four" saves the queue before each run it starts, and starts the next only when a run completes', () => {
    const { port, sent } = fakePort();
    const store = createLabStore();
    const commands = createLabCommands(port, store, () => 0);
    commands.runAllRegimes(['linear', 'finetune', 'discriminative']);
    const first = store.getState().runOrder[0]!;
    expect(sent.map((c) => c.type)).toEqual(['queue/save', 'train/start']);
    expect(sent[0]).toMatchObject({ queue: { current: { runId: first, regime: 'linear' }, pending: ['finetune', 'discriminative'] } });
    expect(sent[0]).not.toHaveProperty('queue.waiting');
    store.getState().applyEvents([{ type: 'train/finished', runId: first, reason: 'completed', bestEpoch: 1, totalMs: 1 }], 0);
    commands.runEnded(first);
    const second = store.getState().runOrder[1]!;
    expect(sent.slice(2)).toMatchObject([
      { type: 'queue/save', queue: { current: { runId: second, regime: 'finetune' }, pending: ['discriminative'] } },
      { type: 'train/start', runId: second, config: { regime: 'finetune' } },
    ]);
  });

  it('a failed run makes "run all four" wait, says what is not started yet, and Resume queue goes on with the next regime', () => {
    const { port, sent } = fakePort();
    const store = createLabStore();
    const commands = createLabCommands(port, store, () => 0);
    commands.runAllRegimes();
    const first = store.getState().runOrder[0]!;
    store.getState().applyEvents([{ type: 'error', command: 'train/start', runId: first, message: 'no dataset' }], 0);
    commands.runEnded(first);
    expect(store.getState().queue).toMatchObject({ waiting: true, pending: ['finetune', 'discriminative', 'frozen-lower'] });
    expect(sent).toHaveLength(2);
    expect(store.getState().messages.at(-1)!.detail).toMatch(/Full fine-tune, Discriminative learning rates, Frozen lower layers/);
    commands.resumeQueue();
    expect(sent.at(-1)).toMatchObject({ type: 'train/start', config: { regime: 'finetune' } });
    expect(store.getState().queue).toMatchObject({ waiting: false, pending: ['discriminative', 'frozen-lower'] });
  });

  it('a queue whose run was refused for memory goes on with the batch that fits, for that regime and the rest', () => {
    const { port, sent } = fakePort();
    const store = createLabStore();
    const commands = createLabCommands(port, store, () => 0);
    store.getState().updateTrainConfig({ batchSize: 64 });
    commands.runAllRegimes(['finetune', 'discriminative']);
    const first = store.getState().runOrder[0]!;
    const memory: MemoryRefusal = {
      backend: 'wasm',
      estimateBytes: 12e9,
      limitBytes: 4.29e9,
      availableBytes: 3.6e9,
      heldBytes: 0,
      reason: 'total',
      largestBatch: 17,
      largestSize: 112,
    };
    store.getState().applyEvents([{ type: 'error', command: 'train/start', runId: first, message: 'too big', memory }], 0);
    expect(store.getState().queue).toMatchObject({ waiting: true });
    commands.resumeQueueWithBatch(17);
    expect(sent.at(-1)).toMatchObject({ type: 'train/start', config: { regime: 'finetune', batchSize: 17 } });
    expect(sent.at(-2)).toMatchObject({ type: 'queue/save', queue: { base: { batchSize: 17 }, pending: ['discriminative'] } });
    expect(store.getState().queue).toMatchObject({ waiting: false });
  });

  it('after a reload the queue resumes its interrupted run first (or starts it again without a checkpoint); Stop queue drops it', () => {
    const { port, sent } = fakePort();
    const store = createLabStore();
    const commands = createLabCommands(port, store, () => 0);
    const base = store.getState().config.train;
    const queue = { base, current: { runId: 'r2', regime: 'finetune' as const }, pending: ['discriminative' as const] };
    const view = (resumeAt: { epoch: number; batch: number; elapsedMs: number; savedAt: number } | null) => ({
      runId: 'r2',
      number: 2,
      config: base,
      classes: ['a', 'b'],
      weightsLabel: 'w',
      backend: 'wasm',
      status: 'running' as const,
      history: [],
      batches: [],
      batchesPerEpoch: 4,
      bestEpoch: 0,
      startedAt: 0,
      totalMs: null,
      error: null,
      resumeAt,
      hasWeights: resumeAt !== null,
    });
    const storage = { usage: null, quota: null, datasetBytes: 0, checkpointBytes: 0, runs: 1 };
    const open = (resumeAt: Parameters<typeof view>[0]) =>
      store.getState().applyEvents(
        [
          {
            type: 'lab/opened',
            requestId: 'l',
            dataset: null,
            runs: [view(resumeAt)],
            storage,
            settings: { keep: 'last-and-best', everyMinutes: 2 },
            queue,
          },
        ],
        0,
      );
    open({ epoch: 0, batch: 3, elapsedMs: 9000, savedAt: 1 });
    commands.resumeQueue();
    expect(sent.at(-1)).toEqual({ type: 'train/resume', runId: 'r2' });
    expect(store.getState().queue).toMatchObject({ waiting: false });
    // The same queue, its run without a checkpoint: no dead Resume, the run starts again.
    store.getState().setQueue(null);
    store.getState().applyEvents([{ type: 'error', command: 'train/resume', runId: 'r2', message: 'x' }], 0);
    open(null);
    commands.resumeQueue();
    expect(sent.at(-1)).toEqual({ type: 'train/restart', runId: 'r2' });
    commands.stopQueue();
    expect(store.getState().queue).toBeNull();
    expect(sent.at(-1)).toEqual({ type: 'queue/save', queue: null });
  });

  it('the queue keeps the weights its runs start from, and Resume queue with other weights (or none) says so and starts nothing', () => {
    const { port, sent } = fakePort();
    const store = createLabStore();
    const commands = createLabCommands(port, store, () => 0);
    const loadWeights = (label: string) => {
      store.getState().weightsRequested('w');
      const info = { source: 'random-init' as const, label, pretrained: false, parameterCount: 0 };
      store.getState().applyEvents([{ type: 'weights/loaded', requestId: 'w', info }], 0);
    };
    loadWeights('ImageNet A');
    commands.runAllRegimes(['linear', 'finetune']);
    expect(sent[0]).toMatchObject({ type: 'queue/save', queue: { weightsLabel: 'ImageNet A' } });
    expect(sent[0]).not.toHaveProperty('queue.waiting');
    const first = store.getState().runOrder[0]!;
    commands.stopRun(first);
    store.getState().applyEvents([{ type: 'train/finished', runId: first, reason: 'stopped', bestEpoch: 0, totalMs: 1 }], 0);
    commands.runEnded(first);
    loadWeights('Other B');
    const count = sent.length;
    commands.resumeQueue();
    expect(sent).toHaveLength(count);
    expect(store.getState().messages.at(-1)).toMatchObject({
      title: 'The queue cannot go on yet',
      detail: expect.stringMatching(/"ImageNet A".*"Other B"/),
    });
    loadWeights('ImageNet A');
    commands.resumeQueue();
    expect(sent.at(-1)).toMatchObject({ type: 'train/start', config: { regime: 'finetune' } });
  });

  it('stop marks the run stopping and the queue then waits; dataset load sends the validation fraction and seed', () => {
    const { port, sent } = fakePort();
    const store = createLabStore();
    const commands = createLabCommands(port, store, () => 0);
    commands.runAllRegimes();
    const runId = store.getState().runOrder[0]!;
    commands.stopRun(runId);
    expect(store.getState().runs[runId]!.status).toBe('stopping');
    store.getState().applyEvents([{ type: 'train/finished', runId, reason: 'stopped', bestEpoch: 0, totalMs: 1 }], 0);
    commands.runEnded(runId);
    expect(store.getState().queue).toMatchObject({ waiting: true, pending: ['finetune', 'discriminative', 'frozen-lower'] });
    commands.loadDataset({ kind: 'demo' });
    expect(sent.at(-1)).toMatchObject({ type: 'dataset/load', source: { kind: 'demo' }, options: { validationFraction: 0.1, seed: 42 } });
    expect(store.getState().dataset.status).toBe('loading');
  });

  it('panel requests go through typed senders that read the current setup and unwrap the reply', async () => {
    const sent: Command[] = [];
    const port = {
      send: () => undefined,
      request: (c: Command) => {
        sent.push(c);
        return Promise.resolve(
          c.type === 'augment/preview' ? { type: 'augment/previewed', images: ['img'] } : { type: 'export/ready', files: ['f'] },
        );
      },
      newId: (prefix: string) => `${prefix}-1`,
    } as unknown as LabPort;
    const store = createLabStore();
    store.getState().updateTrainConfig({ inputSize: 96, seed: 7 });
    const commands = createLabCommands(port, store, () => 0);
    expect(await commands.previewAugment(12)).toEqual(['img']);
    expect(await commands.exportRun('run-3', 'safetensors')).toEqual(['f']);
    expect(sent).toMatchObject([
      { type: 'augment/preview', inputSize: 96, seed: 7, count: 12 },
      { type: 'export/run', runId: 'run-3', format: 'safetensors' },
    ]);
  });
});
