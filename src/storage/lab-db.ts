/**
 * The lab's IndexedDB, behind one small API. Checkpoints are written whole in their own
 * transaction before a run's pointer is switched to them in a second one, so a write that fails or
 * is cut off half-way leaves the previous checkpoint and pointer as they were.
 */
import { openDB, type IDBPDatabase } from 'idb';
import type { CheckpointSettings, DatasetEdit, RunQueue } from '../shared/types.ts';
import {
  DB_NAME,
  SCHEMA_VERSION,
  upgradeLab,
  type CheckpointRecord,
  type LabSchema,
  type StoredCheckpoint,
  type StoredDataset,
  type StoredRun,
} from './schema.ts';

/** The open lab database. */
export type LabDb = IDBPDatabase<LabSchema>;

/** Opens (creating or upgrading) the lab's database; a database from a newer app is refused in words. */
export async function openLabDb(name = DB_NAME): Promise<LabDb> {
  try {
    return await openDB<LabSchema>(name, SCHEMA_VERSION, { upgrade: (db, oldVersion) => upgradeLab(db, oldVersion) });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'VersionError')
      throw new Error('This browser holds a lab saved by a newer version of Expression Lab; reload to get the new version.');
    throw err;
  }
}

/** Every stored run, in start order. */
export async function listRuns(db: LabDb): Promise<StoredRun[]> {
  return (await db.getAll('runs')).sort((a, b) => a.number - b.number);
}

/** Writes a run's record (metrics, status) without touching its checkpoints. */
export async function putRun(db: LabDb, run: StoredRun): Promise<void> {
  await db.put('runs', run);
}

/** A stored checkpoint with its data read (a version-3 record's Blob, an older one's array), or undefined. */
export async function getCheckpoint(db: LabDb, id: string): Promise<StoredCheckpoint | undefined> {
  const record = await db.get('checkpoints', id);
  if (!record || record.data instanceof Float32Array) return record as StoredCheckpoint | undefined;
  if (record.data.size % 4 !== 0)
    throw new Error(`The stored checkpoint ${id} is damaged (${record.data.size} bytes is not whole float32 values).`);
  return { ...record, data: new Float32Array(await record.data.arrayBuffer()) };
}

/** A stored checkpoint's epoch, position and table, without reading its data. */
export async function getCheckpointInfo(db: LabDb, id: string): Promise<Omit<StoredCheckpoint, 'data'> | undefined> {
  const record = await db.get('checkpoints', id);
  if (!record) return undefined;
  const { data: _data, ...info } = record;
  return info;
}

/** Float32 data as a Blob (a Blob may not be built from a view of shared memory: that is copied first). */
export function asBlob(data: Blob | Float32Array): Blob {
  if (data instanceof Blob) return data;
  return new Blob([data.buffer instanceof ArrayBuffer ? (data as Float32Array<ArrayBuffer>) : data.slice()]);
}

/** Checkpoint ids a run's pointers no longer reach. */
function unreferenced(ids: readonly string[], run: StoredRun): string[] {
  return ids.filter((id) => id !== run.lastCheckpoint && id !== run.bestCheckpoint);
}

/**
 * Stores `checkpoint` (when given; its data as a Blob, see CheckpointRecord), then switches the run
 * to `next` (which names it as last and/or best), then deletes checkpoints of the run no pointer
 * reaches. If any step fails, what was stored before stays loadable; an orphan checkpoint left by a
 * failed switch is removed by the next write.
 */
export async function commitCheckpoint(db: LabDb, checkpoint: CheckpointRecord | null, next: StoredRun): Promise<void> {
  if (checkpoint) await db.put('checkpoints', { ...checkpoint, data: asBlob(checkpoint.data) });
  const tx = db.transaction(['runs', 'checkpoints'], 'readwrite');
  await tx.objectStore('runs').put(next);
  const ids = await tx.objectStore('checkpoints').index('byRun').getAllKeys(next.runId);
  for (const id of unreferenced(ids, next)) await tx.objectStore('checkpoints').delete(id);
  await tx.done;
}

/** Deletes a run and its checkpoints. */
export async function deleteRun(db: LabDb, runId: string): Promise<void> {
  const tx = db.transaction(['runs', 'checkpoints'], 'readwrite');
  await tx.objectStore('runs').delete(runId);
  for (const id of await tx.objectStore('checkpoints').index('byRun').getAllKeys(runId)) await tx.objectStore('checkpoints').delete(id);
  await tx.done;
}

/** Deletes a run's checkpoints but keeps its record and metrics. */
export async function deleteCheckpoints(db: LabDb, run: StoredRun): Promise<StoredRun> {
  const next: StoredRun = { ...run, lastCheckpoint: null, bestCheckpoint: null };
  await commitCheckpoint(db, null, next);
  return next;
}

export async function putDataset(db: LabDb, dataset: StoredDataset): Promise<void> {
  await db.put('dataset', dataset);
}

export async function getDataset(db: LabDb): Promise<StoredDataset | undefined> {
  return db.get('dataset', 'current');
}

export async function deleteDataset(db: LabDb): Promise<void> {
  await db.delete('dataset', 'current');
}

/** The stored checkpoint settings, or null when the person never changed the defaults. */
export async function getSettings(db: LabDb): Promise<CheckpointSettings | null> {
  const record = await db.get('lab', 'settings');
  return record?.key === 'settings' ? record.settings : null;
}

export async function putSettings(db: LabDb, settings: CheckpointSettings): Promise<void> {
  await db.put('lab', { key: 'settings', settings });
}

/** The run queue as last saved, or null when there is none. */
export async function getQueue(db: LabDb): Promise<RunQueue | null> {
  const record = await db.get('lab', 'queue');
  return record?.key === 'queue' ? record.queue : null;
}

/** Saves the queue, or deletes it (null: stopped or done). */
export async function putQueue(db: LabDb, queue: RunQueue | null): Promise<void> {
  if (queue) await db.put('lab', { key: 'queue', queue });
  else await db.delete('lab', 'queue');
}

/** The stored edits of the dataset of key `datasetKey` (none when the stored ones belong to another dataset). */
export async function getEdits(db: LabDb, datasetKey: string): Promise<DatasetEdit[]> {
  const record = await db.get('lab', 'edits');
  return record?.key === 'edits' && record.datasetKey === datasetKey ? [...record.edits] : [];
}

/** Stores the edits of the dataset of key `datasetKey` (replacing any other dataset's); none: deletes them. */
export async function putEdits(db: LabDb, datasetKey: string, edits: readonly DatasetEdit[]): Promise<void> {
  if (edits.length > 0) await db.put('lab', { key: 'edits', datasetKey, edits: [...edits] });
  else await db.delete('lab', 'edits');
}
