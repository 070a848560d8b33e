import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Command, WorkerEvent } from '../shared/protocol.ts';
import { getEdits, putDataset, putEdits, putRun } from '../storage/lab-db.ts';
import { datasetKeyOf, packDataset } from '../storage/pack.ts';
import { storedRun } from '../storage/testing/stored-run.ts';
import { tinyDataset } from '../data/testing/tiny-dataset.ts';
import { handleCommand } from './handler.ts';
import { storedRunOf } from './persistence.ts';
import { createSession, type Session } from './session.ts';
import { labIn } from './testing/lab-session.ts';

let dbCount = 0;

async function send(session: Session, command: Command): Promise<WorkerEvent[]> {
  const events: WorkerEvent[] = [];
  await handleCommand(command, session, (e) => events.push(e));
  return events;
}

describe('dataset edits in the worker', () => {
  it('relabels and excludes images, keeps the edits with the stored dataset across a reload, and undoes them', async () => {
    const name = `edits-${++dbCount}`;
    const page = await labIn(name);
    const dataset = tinyDataset();
    await putDataset(page.persistence!.db, packDataset(dataset));
    await send(page, { type: 'lab/open', requestId: 'o' });
    await send(page, { type: 'dataset/edit', requestId: 'e1', split: 'train', path: 'a/1.png', to: null });
    const [edited] = await send(page, { type: 'dataset/edit', requestId: 'e2', split: 'validation', path: 'a/2.png', to: 1 });
    expect(edited).toEqual({
      type: 'dataset/edited',
      requestId: 'e2',
      edits: [
        { split: 'train', path: 'a/1.png', from: 0, to: null },
        { split: 'validation', path: 'a/2.png', from: 0, to: 1 },
      ],
    });

    // A reload: a new worker session on the same storage gets the dataset and its edits back.
    const reloaded = await labIn(name);
    const [opened] = await send(reloaded, { type: 'lab/open', requestId: 'o2' });
    if (opened?.type !== 'lab/opened') throw new Error(JSON.stringify(opened));
    expect(opened.edits).toHaveLength(2);
    expect(reloaded.datasetEdits).toEqual(opened.edits);

    await send(reloaded, { type: 'dataset/undoEdit', requestId: 'u1', target: { split: 'train', path: 'a/1.png' } });
    expect(await getEdits(reloaded.persistence!.db, datasetKeyOf(dataset))).toEqual([
      { split: 'validation', path: 'a/2.png', from: 0, to: 1 },
    ]);
    const [cleared] = await send(reloaded, { type: 'dataset/undoEdit', requestId: 'u2', target: null });
    expect(cleared).toEqual({ type: 'dataset/edited', requestId: 'u2', edits: [] });
    expect(await getEdits(reloaded.persistence!.db, datasetKeyOf(dataset))).toEqual([]);
  });

  it('answers an edit of an image the dataset lacks with an error naming the command, and changes nothing', async () => {
    const session = await labIn(`edits-${++dbCount}`);
    session.dataset = tinyDataset();
    const [failed] = await send(session, { type: 'dataset/edit', requestId: 'e', split: 'test', path: 'a/0.png', to: 1 });
    expect(failed).toMatchObject({ type: 'error', command: 'dataset/edit', requestId: 'e' });
    expect(session.datasetEdits).toEqual([]);
    const empty = createSession('x');
    empty.markBackendSettled();
    const [none] = await send(empty, { type: 'dataset/edit', requestId: 'n', split: 'test', path: 'b/2.png', to: 0 });
    expect(none).toMatchObject({ type: 'error', message: expect.stringMatching(/No dataset is loaded/) as unknown });
  });

  it('edits stored for another dataset are not applied to this one', async () => {
    const session = await labIn(`edits-${++dbCount}`);
    const dataset = tinyDataset();
    await putDataset(session.persistence!.db, packDataset(dataset));
    await putEdits(session.persistence!.db, 'another|a,b|1/1/1', [{ split: 'train', path: 'a/0.png', from: 0, to: null }]);
    const [opened] = await send(session, { type: 'lab/open', requestId: 'o' });
    expect(opened).toMatchObject({ type: 'lab/opened', edits: [] });
  });

  it('a restored run evaluates on the dataset with its own edits, not those made since; its record keeps them', async () => {
    const session = await labIn(`edits-${++dbCount}`);
    const dataset = tinyDataset();
    const db = session.persistence!.db;
    await putDataset(db, packDataset(dataset));
    const runEdits = [{ split: 'validation' as const, path: 'b/1.png', from: 1, to: null }];
    await putRun(db, storedRun({ runId: 'r', datasetKey: datasetKeyOf(dataset), status: 'completed', edits: runEdits }));
    await putEdits(db, datasetKeyOf(dataset), [{ split: 'train', path: 'a/0.png', from: 0, to: null }]);
    await send(session, { type: 'lab/open', requestId: 'o' });
    const run = session.runs.get('r')!;
    expect(run.dataset?.splits.validation.map((im) => im.path)).toEqual(['a/2.png']);
    expect(run.dataset?.splits.train).toHaveLength(3);
    expect(storedRunOf(run).edits).toEqual(runEdits);
  });
});
