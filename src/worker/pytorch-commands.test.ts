import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../data/dataset.ts';
import { writeSafetensors } from '../ml/weights/safetensors.ts';
import type { WorkerEvent } from '../shared/protocol.ts';
import { DEFAULT_TRAIN_CONFIG } from '../shared/train-defaults.ts';
import { handleCommand } from './handler.ts';
import { createSession } from './session.ts';

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).buffer as ArrayBuffer;

const metricsJson = () =>
  encode({
    classes: ['happy', 'sad'],
    training: { config: DEFAULT_TRAIN_CONFIG },
    history: [
      {
        epoch: 1,
        trainLoss: 0.7,
        trainAccuracy: 0.5,
        validationLoss: 0.6,
        validationAccuracy: 0.5,
        perClassAccuracy: [1, 0],
        confusion: [
          [2, 0],
          [2, 0],
        ],
        learningRateScale: 1,
        trainMs: 5,
        wallMs: 6,
      },
    ],
    trainedIn: { framework: 'PyTorch 2.4.0', device: '8 × NVIDIA H100', backend: 'nccl', nodes: 2 },
  });

function ready() {
  const session = createSession('http://127.0.0.1/');
  session.markBackendSettled();
  const events: WorkerEvent[] = [];
  return { session, events, post: (e: WorkerEvent) => void events.push(e) };
}

describe('PyTorch commands', () => {
  it('import a run without weights: metrics to compare, and a clear word when asked to predict with it', async () => {
    const { session, events, post } = ready();
    await handleCommand(
      { type: 'run/import', requestId: 'i', runId: 'pt', metrics: { name: 'metrics.json', data: metricsJson() }, weights: null },
      session,
      post,
    );
    expect(events[0]).toMatchObject({
      type: 'run/imported',
      runId: 'pt',
      classes: ['happy', 'sad'],
      hasWeights: false,
      bestEpoch: 1,
      origin: 'trained in PyTorch 2.4.0 on 8 × NVIDIA H100 (nccl) across 2 nodes',
    });
    expect(session.runs.get('pt')?.status).toBe('completed');
    const image = { width: 1, height: 1, channels: 1 as const, pixels: new Uint8Array(1) };
    await handleCommand({ type: 'predict/image', requestId: 'p', runId: 'pt', image }, session, post);
    expect(events[1]).toMatchObject({
      type: 'error',
      command: 'predict/image',
      message: expect.stringMatching(/imported without weights/),
    });
  });

  it('an imported run is stored, and the Storage panel hears that it holds one more run', async () => {
    const { session, events, post } = ready();
    await handleCommand({ type: 'lab/open', requestId: 'o' }, session, post);
    const before = events.filter((e) => e.type === 'storage/changed').length;
    await handleCommand(
      { type: 'run/import', requestId: 'i', runId: 'stored-pt', metrics: { name: 'metrics.json', data: metricsJson() }, weights: null },
      session,
      post,
    );
    const changed = events.filter((e) => e.type === 'storage/changed');
    expect(changed.length).toBe(before + 1);
    expect(changed.at(-1)).toMatchObject({ storage: { runs: 1 } });
  });

  it('refuse weights whose classifier does not match the run', async () => {
    const { session, events, post } = ready();
    const weights = writeSafetensors(new Map([['fc.weight', { shape: [3, 2], data: new Float32Array(6) }]]));
    await handleCommand(
      {
        type: 'run/import',
        requestId: 'i',
        runId: 'pt',
        metrics: { name: 'metrics.json', data: metricsJson() },
        weights: { name: 'final.safetensors', data: weights.buffer as ArrayBuffer },
      },
      session,
      post,
    );
    expect(events[0]).toMatchObject({ type: 'error', message: expect.stringMatching(/3-way classifier but metrics.json names 2 classes/) });
    expect(session.runs.get('pt')).toBeUndefined();
  });

  it('export the loaded dataset’s exact split and the config', async () => {
    const { session, events, post } = ready();
    await handleCommand({ type: 'export/pytorch', requestId: 'e', runId: null, config: DEFAULT_TRAIN_CONFIG }, session, post);
    expect(events[0]).toMatchObject({ type: 'error', message: 'Load a dataset first.' });
    const image = (path: string, classIndex: number) => ({
      path,
      classIndex,
      width: 1,
      height: 1,
      channels: 1 as const,
      pixels: new Uint8Array(1),
    });
    session.dataset = {
      name: 'faces.zip',
      classes: ['happy', 'sad'],
      splits: { train: [image('train/sad/b.png', 1), image('train/happy/a.png', 0)], validation: [image('train/sad/c.png', 1)], test: [] },
      summary: { format: 'zip' },
    } as unknown as Dataset;
    await handleCommand({ type: 'export/pytorch', requestId: 'e2', runId: null, config: DEFAULT_TRAIN_CONFIG }, session, post);
    const reply = events[1];
    if (reply?.type !== 'export/ready') throw new Error(`expected export/ready, got ${JSON.stringify(reply)}`);
    const files = Object.fromEntries(
      reply.files.map((f) => [f.name, JSON.parse(new TextDecoder().decode(f.data)) as Record<string, unknown>]),
    );
    expect(Object.keys(files)).toEqual(['config.json', 'split.json']);
    expect(files['split.json']).toEqual({
      classes: ['happy', 'sad'],
      train: [
        ['train/sad/b.png', 1],
        ['train/happy/a.png', 0],
      ],
      validation: [['train/sad/c.png', 1]],
      test: [],
    });
    expect(files['config.json']).toMatchObject({ train: DEFAULT_TRAIN_CONFIG, startingWeights: { use: 'random' } });
  });
});
