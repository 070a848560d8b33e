import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openDB } from 'idb';
import {
  commitCheckpoint,
  deleteRun,
  getCheckpoint,
  getCheckpointInfo,
  getEdits,
  listRuns,
  openLabDb,
  putEdits,
  type LabDb,
} from './lab-db.ts';
import { packTensors, unpackTensors } from './pack.ts';
import { upgradeLab, type LabSchema, type StoredCheckpoint } from './schema.ts';
import { storedRun } from './testing/stored-run.ts';

let dbCount = 0;
const freshDb = () => openLabDb(`lab-test-${++dbCount}`);

const run = storedRun;

const checkpoint = (epoch: number, value: number): StoredCheckpoint => ({
  id: `run-1/e${epoch}`,
  runId: 'run-1',
  epoch,
  ...packTensors([{ name: 'fc.weight', shape: [2, 2], values: new Float32Array(4).fill(value) }]),
});

/** The database with `store.put` failing as a full disk or a killed tab would, for one store. */
function failingPuts(db: LabDb, store: 'checkpoints' | 'runs'): LabDb {
  const fail = () => Promise.reject(new DOMException('simulated: the disk is full', 'QuotaExceededError'));
  return new Proxy(db, {
    get(target, key) {
      if (key === 'put')
        return (name: string, ...rest: unknown[]) =>
          name === store ? fail() : (target.put as (...a: unknown[]) => unknown)(name, ...rest);
      if (key === 'transaction' && store === 'runs') return () => ({ objectStore: () => ({ put: fail }) });
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function committedEpoch(db: LabDb): Promise<number> {
  const [stored] = await listRuns(db);
  const ckpt = stored?.lastCheckpoint ? await getCheckpoint(db, stored.lastCheckpoint) : undefined;
  if (!ckpt) throw new Error('no checkpoint loadable');
  expect(unpackTensors(ckpt).get('fc.weight')?.values[0]).toBe(ckpt.epoch * 10);
  return ckpt.epoch;
}

describe('lab database', () => {
  it('switches a run to a new checkpoint and deletes the one no pointer reaches', async () => {
    const db = await freshDb();
    await commitCheckpoint(db, checkpoint(1, 10), run({ lastCheckpoint: 'run-1/e1', bestCheckpoint: 'run-1/e1' }));
    await commitCheckpoint(db, checkpoint(2, 20), run({ lastCheckpoint: 'run-1/e2', bestCheckpoint: 'run-1/e1' }));
    await commitCheckpoint(db, checkpoint(3, 30), run({ lastCheckpoint: 'run-1/e3', bestCheckpoint: 'run-1/e3' }));
    expect(await committedEpoch(db)).toBe(3);
    expect(await db.getAllKeys('checkpoints')).toEqual(['run-1/e3']);
    await deleteRun(db, 'run-1');
    expect(await db.count('checkpoints')).toBe(0);
  });

  it('a checkpoint write that fails half-way leaves the previous checkpoint and pointer loadable', async () => {
    const db = await freshDb();
    await commitCheckpoint(db, checkpoint(1, 10), run({ lastCheckpoint: 'run-1/e1', bestCheckpoint: 'run-1/e1' }));
    await expect(
      commitCheckpoint(failingPuts(db, 'checkpoints'), checkpoint(2, 20), run({ lastCheckpoint: 'run-1/e2', bestCheckpoint: 'run-1/e2' })),
    ).rejects.toThrow(/disk is full/);
    expect(await committedEpoch(db)).toBe(1);
  });

  it('a pointer switch that fails after the checkpoint was written keeps the old pointer; the orphan goes at the next write', async () => {
    const db = await freshDb();
    await commitCheckpoint(db, checkpoint(1, 10), run({ lastCheckpoint: 'run-1/e1', bestCheckpoint: 'run-1/e1' }));
    const half = failingPuts(db, 'runs');
    await expect(
      commitCheckpoint(half, checkpoint(2, 20), run({ lastCheckpoint: 'run-1/e2', bestCheckpoint: 'run-1/e2' })),
    ).rejects.toThrow(/disk is full/);
    expect(await committedEpoch(db)).toBe(1);
    expect(await db.getAllKeys('checkpoints')).toEqual(['run-1/e1', 'run-1/e2']);
    await commitCheckpoint(db, checkpoint(3, 30), run({ lastCheckpoint: 'run-1/e3', bestCheckpoint: 'run-1/e1' }));
    expect(await db.getAllKeys('checkpoints')).toEqual(['run-1/e1', 'run-1/e3']);
  });

  it('stores checkpoint data as a Blob, and still reads a version-2 checkpoint stored as a Float32Array', async () => {
    const name = `lab-test-v2-${++dbCount}`;
    const v2 = await openDB<LabSchema>(name, 2, { upgrade: (db, oldVersion) => upgradeLab(db, oldVersion) });
    const old = checkpoint(1, 10);
    await v2.put('checkpoints', old);
    await v2.put('runs', run({ lastCheckpoint: 'run-1/e1', bestCheckpoint: 'run-1/e1' }));
    v2.close();
    const db = await openLabDb(name);
    expect(db.version).toBe(3);
    expect((await db.get('checkpoints', 'run-1/e1'))?.data).toBeInstanceOf(Float32Array);
    expect(await committedEpoch(db)).toBe(1);
    expect(await getCheckpointInfo(db, 'run-1/e1')).toEqual({ id: 'run-1/e1', runId: 'run-1', epoch: 1, tensors: old.tensors });
    await commitCheckpoint(db, checkpoint(2, 20), run({ lastCheckpoint: 'run-1/e2', bestCheckpoint: 'run-1/e2' }));
    const stored = await db.get('checkpoints', 'run-1/e2');
    expect(stored?.data).toBeInstanceOf(Blob);
    expect((stored?.data as Blob).size).toBe(16);
    expect(await committedEpoch(db)).toBe(2);
    expect(await db.getAllKeys('checkpoints')).toEqual(['run-1/e2']);
  });

  it('refuses a database written by a newer schema, in words', async () => {
    const name = `lab-test-newer-${++dbCount}`;
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.open(name, 99);
      request.onsuccess = () => (request.result.close(), resolve());
      request.onerror = () => reject(request.error as Error);
    });
    await expect(openLabDb(name)).rejects.toThrow(/newer version of Expression Lab/);
  });

  it('keeps dataset edits for the dataset they belong to, and deletes them when none are left', async () => {
    const db = await freshDb();
    const edits = [{ split: 'train' as const, path: 'a/1.png', from: 0, to: null }];
    await putEdits(db, 'tiny|a,b|3/2/1', edits);
    expect(await getEdits(db, 'tiny|a,b|3/2/1')).toEqual(edits);
    expect(await getEdits(db, 'other|a,b|3/2/1')).toEqual([]);
    await putEdits(db, 'tiny|a,b|3/2/1', []);
    expect(await db.get('lab', 'edits')).toBeUndefined();
  });
});
