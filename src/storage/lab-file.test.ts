import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../shared/train-defaults.ts';
import { readLabFile, writeLabFile } from './lab-file.ts';
import { packTensors, unpackTensors } from './pack.ts';
import type { StoredCheckpoint, StoredRun } from './schema.ts';
import { storedRun } from './testing/stored-run.ts';

const run = (runId: string): StoredRun =>
  storedRun({
    runId,
    weightsLabel: 'w',
    backend: 'wasm',
    datasetKey: 'k',
    status: 'completed',
    bestEpoch: 1,
    totalMs: 5,
    lastCheckpoint: `${runId}/e2`,
    bestCheckpoint: `${runId}/e1`,
  });

describe('lab file', () => {
  it('round-trips runs and their best checkpoints, leaving the momentum buffers out', () => {
    const best: StoredCheckpoint = {
      id: 'r1/e1',
      runId: 'r1',
      epoch: 1,
      ...packTensors([
        { name: 'fc.weight', shape: [2, 2], values: Float32Array.of(1, 2, 3, 4) },
        { name: 'momentum/fc.weight', shape: [2, 2], values: Float32Array.of(9, 9, 9, 9) },
        { name: 'fc.bias', shape: [2], values: Float32Array.of(5, 6) },
      ]),
    };
    const back = readLabFile(
      writeLabFile([
        { run: run('r1'), best },
        { run: run('r2'), best: null },
      ]),
    );
    expect(back.map((r) => r.run.runId)).toEqual(['r1', 'r2']);
    expect(back[0]!.run.config).toEqual(DEFAULT_TRAIN_CONFIG);
    const tensors = unpackTensors(back[0]!.checkpoint!);
    expect([...tensors.keys()]).toEqual(['fc.weight', 'fc.bias']);
    expect(Array.from(tensors.get('fc.bias')!.values)).toEqual([5, 6]);
    expect(back[0]!.checkpoint!.epoch).toBe(1);
    expect(back[1]!.checkpoint).toBeNull();
  });
});
