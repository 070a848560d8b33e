import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Command, WorkerEvent } from '../shared/protocol.ts';
import { commitCheckpoint, getCheckpoint, listRuns, openLabDb } from '../storage/lab-db.ts';
import { packTensors } from '../storage/pack.ts';
import type { StoredRun } from '../storage/schema.ts';
import { storedRun } from '../storage/testing/stored-run.ts';
import { handleCommand } from './handler.ts';
import { createSession, type Session } from './session.ts';
import { labIn } from './testing/lab-session.ts';

async function send(session: Session, command: Command): Promise<WorkerEvent[]> {
  const events: WorkerEvent[] = [];
  await handleCommand(command, session, (e) => events.push(e));
  const failure = events.find((e) => e.type === 'error');
  if (failure) throw new Error(JSON.stringify(failure));
  return events;
}

const stored = (runId: string, number: number): StoredRun =>
  storedRun({
    runId,
    number,
    weightsLabel: 'w',
    backend: 'wasm',
    datasetKey: 'k',
    status: 'completed',
    bestEpoch: 1,
    totalMs: 1,
    lastCheckpoint: `${runId}/e1`,
    bestCheckpoint: `${runId}/e1`,
  });

describe('moving a lab', () => {
  it('exports every run with its best checkpoint as one file; importing it elsewhere puts the runs beside the local ones', async () => {
    const home = await labIn('home');
    const values = Float32Array.of(1, 2, 3, 4);
    await commitCheckpoint(
      home.persistence!.db,
      { id: 'r1/e1', runId: 'r1', epoch: 1, ...packTensors([{ name: 'fc.weight', shape: [2, 2], values }]) },
      stored('r1', 1),
    );
    await send(home, { type: 'lab/open', requestId: 'o' });
    const [ready] = await send(home, { type: 'lab/export', requestId: 'e' });
    if (ready?.type !== 'export/ready') throw new Error('no export');
    expect(ready.files[0]!.name).toBe('expression-lab-1-runs.zip');

    const away = await labIn('away');
    await commitCheckpoint(away.persistence!.db, null, { ...stored('local', 1), lastCheckpoint: null, bestCheckpoint: null });
    await send(away, { type: 'lab/open', requestId: 'o' });
    const [changed] = await send(away, { type: 'lab/import', requestId: 'i', data: ready.files[0]!.data });
    if (changed?.type !== 'storage/changed') throw new Error('no change');
    expect(changed.runs?.map((r) => [r.runId, r.number, r.imported ?? false, r.hasWeights])).toEqual([
      ['local', 1, false, false],
      ['r1', 2, true, true],
    ]);
    const runs = await listRuns(away.persistence!.db);
    expect((await away.persistence!.db.get('checkpoints', runs[1]!.bestCheckpoint!))?.data).toBeInstanceOf(Blob);
    const checkpoint = await getCheckpoint(away.persistence!.db, runs[1]!.bestCheckpoint!);
    expect(Array.from(checkpoint!.data)).toEqual([1, 2, 3, 4]);
  });
});

describe('storage evicted between sessions', () => {
  it('keeps the metrics of runs whose checkpoints vanished, drops their dangling pointers, and says so', async () => {
    const session = await labIn('evicted');
    const db = session.persistence!.db;
    const values = Float32Array.of(1, 2, 3, 4);
    const kept = { id: 'kept/e1', runId: 'kept', epoch: 1, ...packTensors([{ name: 'fc.weight', shape: [2, 2], values }]) };
    await commitCheckpoint(db, kept, stored('kept', 1));
    const history = [{ epoch: 1 } as StoredRun['history'][number]];
    await commitCheckpoint(db, null, { ...stored('gone', 2), history });
    await commitCheckpoint(
      db,
      { ...kept, id: 'cut/e1', runId: 'cut' },
      {
        ...stored('cut', 3),
        status: 'running',
        lastCheckpoint: 'cut/e1b3',
        resumeAt: { epoch: 1, batch: 3, elapsedMs: 9, savedAt: 0 },
      },
    );
    const [opened] = await send(session, { type: 'lab/open', requestId: 'o' });
    if (opened?.type !== 'lab/opened') throw new Error('not opened');
    expect(opened.runs.map((r) => [r.runId, r.evicted ?? false, r.hasWeights, r.resumeAt, r.history.length])).toEqual([
      ['kept', false, true, { epoch: 1, batch: 0, elapsedMs: 0, savedAt: 0 }, 0],
      ['gone', true, false, null, 1],
      ['cut', true, true, null, 0],
    ]);
    const runs = await listRuns(db);
    expect(runs.map((r) => [r.runId, r.lastCheckpoint, r.bestCheckpoint, r.evicted ?? false])).toEqual([
      ['kept', 'kept/e1', 'kept/e1', false],
      ['gone', null, null, true],
      ['cut', null, 'cut/e1', true],
    ]);
    // The repaired runs can be started again; nothing asks for the vanished checkpoints.
    const interrupted = session.runs.get('cut')!;
    expect([interrupted.status, interrupted.resumeAt, interrupted.evicted]).toEqual(['interrupted', null, true]);
  });
});

describe('a second tab', () => {
  it('reads the lab read-only (writing nothing, keeping no storage open), then takes it over with what is stored then', async () => {
    const db = await openLabDb();
    await commitCheckpoint(db, null, stored('dangling', 1));
    const waiting = createSession('http://127.0.0.1/');
    waiting.markBackendSettled();
    const [viewed] = await send(waiting, { type: 'lab/open', requestId: 'v', readOnly: true });
    if (viewed?.type !== 'lab/opened') throw new Error('not opened');
    expect(viewed.runs.map((r) => [r.runId, r.evicted])).toEqual([['dangling', true]]);
    expect(waiting.persistence).toBeNull();
    expect((await listRuns(db))[0]!.lastCheckpoint, 'the read-only view repaired nothing in storage').toBe('dangling/e1');
    await expect(send(waiting, { type: 'storage/forget', requestId: 'f', target: { kind: 'dataset' } })).rejects.toThrow(/not open/);

    // Meanwhile the holding tab trains a second run.
    await commitCheckpoint(db, null, { ...stored('later', 2), lastCheckpoint: null, bestCheckpoint: null });
    const [opened] = await send(waiting, { type: 'lab/open', requestId: 'o' });
    if (opened?.type !== 'lab/opened') throw new Error('not opened');
    expect(opened.runs.map((r) => r.runId)).toEqual(['dangling', 'later']);
    expect(waiting.runs.all().map((r) => r.runId)).toEqual(['dangling', 'later']);
    expect(waiting.persistence).not.toBeNull();
    expect((await listRuns(db))[0]!.lastCheckpoint, 'taken over, it repairs').toBeNull();
  });
});
