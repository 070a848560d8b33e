/**
 * Mid-epoch checkpoints through the worker's real training path (trainRecord) on a tiny model and
 * fake IndexedDB: how often they are written, that one per run is kept and replaced atomically,
 * what they hold, that a failed write leaves the previous one usable, and that a resume refuses a
 * checkpoint whose random streams this build would draw differently.
 */
import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../data/dataset.ts';
import { applyTrainingState } from '../ml/train/checkpoint.ts';
import { syntheticDataset, testConfig } from '../ml/train/testing/synthetic-dataset.ts';
import { buildTinyModel } from '../ml/train/testing/tiny-model.ts';
import type { WorkerEvent } from '../shared/protocol.ts';
import type { DatasetSummary } from '../shared/types.ts';
import { getCheckpoint, listRuns, openLabDb, type LabDb } from '../storage/lab-db.ts';
import { datasetKeyOf, unpackTensors } from '../storage/pack.ts';
import type { StoredCheckpoint, StoredRun } from '../storage/schema.ts';
import { handleCommand } from './handler.ts';
import { newRunRecord } from './runs.ts';
import { createSession, type Session } from './session.ts';
import { trainRecord } from './train-commands.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const dataset: Dataset = { ...syntheticDataset({ train: 12, validation: 4 }), name: 'synthetic', summary: {} as DatasetSummary };
// 36 images in batches of 8: 5 batches an epoch.
const config = testConfig('finetune', { epochs: 2 });
let dbCount = 0;

/** A session with a fresh lab database whose every `put` of a checkpoint can be made to fail. */
async function labSession(everyMinutes: number): Promise<{ session: Session; db: LabDb; failPuts: { on: boolean } }> {
  const db = await openLabDb(`checkpoints-test-${++dbCount}`);
  const failPuts = { on: false };
  const guarded = new Proxy(db, {
    get(target, key) {
      if (key === 'put')
        return (store: string, ...rest: unknown[]) =>
          failPuts.on && store === 'checkpoints'
            ? Promise.reject(new DOMException('simulated: the disk is full', 'QuotaExceededError'))
            : (target.put as (...a: unknown[]) => unknown)(store, ...rest);
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const session = createSession('http://127.0.0.1/');
  session.markBackendSettled();
  session.dataset = dataset;
  session.persistence = { db: guarded, keep: 'last-and-best', everyMinutes, datasetBytes: 0 };
  return { session, db, failPuts };
}

/** Trains run-1 through trainRecord; `onEvent` sees each event as it is posted (storage may be read then). */
async function train(session: Session, onEvent: (e: WorkerEvent) => Promise<void> | void = () => undefined): Promise<WorkerEvent[]> {
  const run = newRunRecord({
    runId: 'run-1',
    number: 1,
    config,
    classes: dataset.classes,
    dataset,
    datasetKey: datasetKeyOf(dataset),
    backend: 'cpu',
    weightsLabel: 'tiny',
    model: buildTinyModel({ numClasses: 3, seed: 5 }),
    status: 'running' as const,
  });
  session.runs.start(run);
  const events: WorkerEvent[] = [];
  const pending: Promise<void>[] = [];
  await trainRecord(
    run,
    session,
    (e) => {
      events.push(e);
      const checked = onEvent(e);
      if (checked) pending.push(checked);
    },
    null,
  );
  await Promise.all(pending);
  run.model?.dispose();
  return events;
}

const saves = (events: WorkerEvent[]) =>
  events.filter((e): e is Extract<WorkerEvent, { type: 'train/checkpointSaved' }> => e.type === 'train/checkpointSaved');

describe('mid-epoch checkpoints', () => {
  it('with an interval that has always passed, one is written at a batch boundary while training goes on, one per run kept', async () => {
    const { session, db } = await labSession(1e-9);
    const kept: string[][] = [];
    const events = await train(session, async (e) => {
      if (e.type === 'train/checkpointSaved') kept.push((await db.getAllKeys('checkpoints')).map(String));
    });
    const at = saves(events).map((e) => `${e.resumeAt!.epoch}.${e.resumeAt!.batch}`);
    // Never two writes at once: a boundary while one is written takes none, so not every boundary has one.
    expect(at.filter((a) => !a.endsWith('.0')).length).toBeGreaterThan(0);
    expect(at).toContain('1.0');
    expect(at.at(-1)).toBe('2.0');
    // After each commit: the last checkpoint and the best, nothing more.
    for (const keys of kept) expect(keys.length).toBeLessThanOrEqual(2);
    const [stored] = await listRuns(db);
    expect(stored).toMatchObject({ status: 'completed', lastCheckpoint: 'run-1/e2', resumeAt: { epoch: 2, batch: 0 } });
    expect(await db.getAllKeys('checkpoints')).toEqual(expect.arrayContaining(['run-1/e2']));
    expect(events.filter((e) => e.type === 'storage/failed')).toEqual([]);
  });

  it('holds the epoch position, the random streams and the batches so far; the run record then lists the batches up to it', async () => {
    const { session, db } = await labSession(1e-9);
    let checked = false;
    await train(session, async (e) => {
      if (e.type !== 'train/checkpointSaved' || !e.resumeAt || e.resumeAt.batch === 0 || checked) return;
      checked = true;
      const [stored] = await listRuns(db);
      const checkpoint = await getCheckpoint(db, stored!.lastCheckpoint!);
      expect(checkpoint?.position).toMatchObject({
        epoch: e.resumeAt.epoch + 1,
        batchesDone: e.resumeAt.batch,
        seen: 8 * e.resumeAt.batch,
      });
      expect(checkpoint?.position?.streams).toEqual({
        shuffle: expect.any(Number) as number,
        order: expect.any(Number) as number,
        augment: expect.any(Number) as number,
      });
      expect(checkpoint!.tensors.some((t) => t.name.startsWith('momentum/'))).toBe(true);
      expect(stored!.batches.filter((b) => b.epoch === e.resumeAt!.epoch + 1).map((b) => b.batch)).toEqual(
        Array.from({ length: e.resumeAt.batch }, (_, i) => i + 1),
      );
      expect(stored!.batches.at(-1)!.elapsedMs).toBeGreaterThan(0);
    });
    expect(checked).toBe(true);
  });

  it('with an interval not reached, only epoch ends are written; at 0 minutes, too', async () => {
    for (const minutes of [60, 0]) {
      const { session } = await labSession(minutes);
      const events = await train(session);
      expect(saves(events).map((e) => e.resumeAt!.batch)).toEqual([0, 0]);
    }
  });

  it('a failed write is told once, leaves the previous checkpoint as the one Resume uses, and a fresh best survives the run', async () => {
    const { session, db, failPuts } = await labSession(1e-9);
    let before: string | null = null;
    let duringRun: StoredRun | undefined;
    let loadable = false;
    const events = await train(session, async (e) => {
      if (e.type === 'train/checkpointSaved' && e.resumeAt?.epoch === 1 && e.resumeAt.batch === 0) {
        before = (await listRuns(db))[0]!.lastCheckpoint;
        failPuts.on = true;
      }
      if (e.type === 'train/checkpointsStopped') {
        duringRun = (await listRuns(db))[0];
        loadable = (await getCheckpoint(db, 'run-1/e1')) !== undefined;
      }
    });
    expect(before).toBe('run-1/e1');
    expect(events.filter((e) => e.type === 'train/checkpointsStopped').map((e) => e.message)).toEqual([
      expect.stringMatching(
        /its last one, at the end of epoch 1, is kept, and Resume continues from it if the page reloads before the run ends\./,
      ) as string,
    ]);
    // While it trained on, a reload would have resumed from epoch 1's end.
    expect(duringRun).toMatchObject({ status: 'running', lastCheckpoint: 'run-1/e1', resumeAt: { epoch: 1, batch: 0 } });
    expect(loadable).toBe(true);
    // Ended: no resume point older than its weights; epoch 1's checkpoint stays as the best only while epoch 1 is the best.
    const [stored] = await listRuns(db);
    const bestIsOne = stored!.bestEpoch === 1;
    expect(stored).toMatchObject({
      status: 'completed',
      lastCheckpoint: null,
      resumeAt: null,
      bestCheckpoint: bestIsOne ? 'run-1/e1' : null,
    });
    expect(await db.getAllKeys('checkpoints')).toEqual(bestIsOne ? ['run-1/e1'] : []);
  });

  it('quota exhausted mid-checkpoint: the run keeps training, says once that checkpoints stopped, and the earlier checkpoint still loads', async () => {
    const { session, db, failPuts } = await labSession(1e-9);
    let kept: { id: string; at: string; values: number[] } | null = null;
    let loaded: { run: StoredRun | undefined; values: number[] | undefined } | null = null;
    const events = await train(session, async (e) => {
      if (e.type === 'train/checkpointsStopped' && kept) {
        // Told while the run trains on: its record and the earlier checkpoint are as they were, and load.
        const [run] = await listRuns(db);
        const checkpoint = await getCheckpoint(db, kept.id);
        const model = buildTinyModel({ numClasses: 3, seed: 99 });
        applyTrainingState(model, null, unpackTensors(checkpoint!));
        loaded = { run, values: Array.from(model.params.get('fc.weight')!.dataSync()) };
        model.dispose();
      }
      if (kept || e.type !== 'train/checkpointSaved' || e.resumeAt?.epoch !== 0 || e.resumeAt.batch === 0) return;
      // The first mid-epoch checkpoint is stored; every checkpoint after it meets a full quota.
      failPuts.on = true;
      const id = (await listRuns(db))[0]!.lastCheckpoint!;
      const values = Array.from(unpackTensors((await getCheckpoint(db, id))!).get('fc.weight')!.values);
      kept = { id, at: `after batch ${e.resumeAt.batch} of epoch 1`, values };
    });
    expect(kept).not.toBeNull();
    const { id, at, values } = kept!;
    const stopped = events.filter((e) => e.type === 'train/checkpointsStopped');
    expect(stopped).toHaveLength(1);
    expect(stopped[0]).toMatchObject({
      runId: 'run-1',
      message: expect.stringMatching(
        new RegExp(
          `^Run 1's checkpoint .+ could not be saved: the browser's storage for this page is full\\. Run 1 trains on without checkpoints; its last one, ${at}, is kept, and Resume continues from it if the page reloads before the run ends\\. Once it ends, its weights are in this tab only: export what you need before reloading\\.$`,
        ),
      ) as string,
      hint: expect.stringMatching(/delete old runs, their checkpoints or the dataset in the Storage panel/) as string,
    });
    expect(loaded).toMatchObject({ run: { status: 'running', lastCheckpoint: id, resumeAt: { epoch: 0 } }, values });
    // Told once, nothing more written, no other failure reported; the run trained to its end.
    const stoppedAt = events.indexOf(stopped[0]!);
    expect(events.slice(stoppedAt).filter((e) => e.type === 'train/checkpointSaved')).toEqual([]);
    expect(events.filter((e) => e.type === 'storage/failed')).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'train/finished', reason: 'completed' });
    // The record kept both epochs' metrics; the checkpoint older than the final weights is gone, freeing its space.
    const [stored] = await listRuns(db);
    expect(stored).toMatchObject({ status: 'completed', lastCheckpoint: null, bestCheckpoint: null, resumeAt: null, checkpointBytes: 0 });
    expect(stored!.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(await db.count('checkpoints')).toBe(0);
  });

  it('a resume refuses a checkpoint whose data order this build would draw differently, in words', async () => {
    const { session, db } = await labSession(1e-9);
    let kept: { run: StoredRun; checkpoint: StoredCheckpoint } | null = null;
    await train(session, async (e) => {
      if (kept || e.type !== 'train/checkpointSaved' || !e.resumeAt || e.resumeAt.batch === 0) return;
      const [run] = await listRuns(db);
      kept = { run: run!, checkpoint: (await getCheckpoint(db, run!.lastCheckpoint!))! };
    });
    // Storage as a reload right after that checkpoint finds it, but with a data order this build does not draw.
    const { run, checkpoint } = kept!;
    await db.put('checkpoints', {
      ...checkpoint,
      position: { ...checkpoint.position!, streams: { ...checkpoint.position!.streams, order: 1 } },
    });
    await db.put('runs', run);
    const reloaded = createSession('http://127.0.0.1/');
    reloaded.markBackendSettled();
    reloaded.dataset = dataset;
    reloaded.persistence = { db, keep: 'last-and-best', everyMinutes: 2, datasetBytes: 0 };
    const events: WorkerEvent[] = [];
    const post = (e: WorkerEvent) => void events.push(e);
    await handleCommand({ type: 'lab/open', requestId: 'o' }, reloaded, post);
    await handleCommand({ type: 'train/resume', runId: 'run-1' }, reloaded, post);
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      message: expect.stringMatching(/orders or augments the images differently/) as string,
    });
  });
});
