/** Commands about the stored lab: open (restore after a reload), forget, export and import a lab file. */
import { applyDatasetEdits } from '../data/dataset-edits.ts';
import type { CommandOf } from '../shared/protocol.ts';
import { DEFAULT_CHECKPOINT_SETTINGS } from '../shared/train-defaults.ts';
import type { CheckpointSettings, ExportFile, SavedRunView } from '../shared/types.ts';
import {
  commitCheckpoint,
  deleteCheckpoints,
  deleteDataset,
  deleteRun,
  getCheckpoint,
  getDataset,
  getEdits,
  getQueue,
  getSettings,
  listRuns,
  openLabDb,
  putEdits,
  putQueue,
  putSettings,
} from '../storage/lab-db.ts';
import { readLabFile, writeLabFile } from '../storage/lab-file.ts';
import { datasetKeyOf, packedBytes, unpackDataset } from '../storage/pack.ts';
import type { StoredRun } from '../storage/schema.ts';
import { resumePointOf, saveFailure, storageInfo, viewOf } from './persistence.ts';
import type { RunRecord } from './runs.ts';
import type { Persistence, Post, Session } from './session.ts';
import { withoutEvictedCheckpoints } from './evicted.ts';
import { forgetCachedWeights } from './weights-download.ts';

function recordOf(stored: StoredRun, session: Session): RunRecord {
  const dataset =
    session.dataset && datasetKeyOf(session.dataset) === stored.datasetKey ? applyDatasetEdits(session.dataset, stored.edits) : null;
  return {
    ...stored,
    status: stored.status === 'running' ? 'interrupted' : stored.status,
    history: [...stored.history],
    batches: [...stored.batches],
    pendingBatches: [],
    dataset,
    model: null,
    stopRequested: false,
    validationPredictions: new Map(),
    checkpointBytes: stored.checkpointBytes ?? 0,
    resumeAt: resumePointOf(stored),
    bestBytes: stored.bestCheckpoint === stored.lastCheckpoint ? (stored.checkpointBytes ?? 0) : 0,
  };
}

function persistenceOf(session: Session): Persistence {
  if (!session.persistence) throw new Error('The lab storage is not open.');
  return session.persistence;
}

async function views(session: Session): Promise<SavedRunView[]> {
  return (await listRuns(persistenceOf(session).db)).map(viewOf);
}

/** Says what is wrong with checkpoint settings from the page, or null. */
function settingsProblem(settings: CheckpointSettings): string | null {
  if (!['last-and-best', 'best', 'none'].includes(settings.keep)) return `"${String(settings.keep)}" is not a checkpoint setting.`;
  if (!Number.isFinite(settings.everyMinutes) || settings.everyMinutes < 0)
    return `A checkpoint interval of ${settings.everyMinutes} minutes cannot be used: give 0 (epoch ends only) or more.`;
  return null;
}

/** The open storage, opened with its stored checkpoint settings (or the defaults) the first time. */
async function openPersistence(session: Session): Promise<Persistence> {
  if (session.persistence) return session.persistence;
  const db = await openLabDb();
  const { keep, everyMinutes } = (await getSettings(db)) ?? DEFAULT_CHECKPOINT_SETTINGS;
  session.persistence ??= { db, keep, everyMinutes, datasetBytes: 0 };
  return session.persistence;
}

/**
 * `lab/open`: opens storage and restores what it holds (the dataset, every run with its metrics,
 * the checkpoint settings, the run queue; models load from checkpoints when first used). From now
 * on runs and the dataset are saved. New `settings` are stored, and used from the next batch on.
 */
export async function openLab(command: CommandOf<'lab/open'>, session: Session, post: Post): Promise<void> {
  const opening = restoreLab(command, session, post);
  const settled = opening.then(
    () => undefined,
    () => undefined,
  );
  session.labOpening = settled;
  try {
    await opening;
  } finally {
    if (session.labOpening === settled) session.labOpening = null;
  }
}

/** Puts stored runs into the session; after a read-only view, a run not training here is replaced by its stored record (another tab may have trained it since). */
function addRuns(session: Session, runs: readonly StoredRun[], replace: boolean): void {
  for (const stored of runs) {
    const current = session.runs.get(stored.runId);
    if (current && replace && current !== session.runs.active) session.runs.remove(stored.runId);
    if (!session.runs.get(stored.runId)) session.runs.add(recordOf(stored, session));
  }
}

/** A read-only `lab/open`: what storage holds, read in one go, with nothing written and the storage closed again. */
async function viewLab(command: CommandOf<'lab/open'>, session: Session, post: Post): Promise<void> {
  if (session.persistence) throw new Error('This tab already holds the lab.');
  const db = await openLabDb();
  try {
    const stored = await getDataset(db);
    if (stored) session.dataset = unpackDataset(stored);
    const runs = await withoutEvictedCheckpoints(db, await listRuns(db), false);
    addRuns(session, runs, true);
    session.viewedReadOnly = true;
    post({
      type: 'lab/opened',
      requestId: command.requestId,
      dataset: session.dataset?.summary ?? null,
      runs: runs.map(viewOf),
      storage: { usage: null, quota: null, datasetBytes: stored ? packedBytes(stored) : 0, checkpointBytes: 0, runs: runs.length },
      settings: (await getSettings(db)) ?? DEFAULT_CHECKPOINT_SETTINGS,
      queue: await getQueue(db),
    });
  } finally {
    db.close();
  }
}

async function restoreLab(command: CommandOf<'lab/open'>, session: Session, post: Post): Promise<void> {
  const problem = command.settings ? settingsProblem(command.settings) : null;
  if (problem) throw new Error(problem);
  if (command.readOnly) return viewLab(command, session, post);
  const refresh = session.viewedReadOnly;
  session.viewedReadOnly = false;
  const persistence = await openPersistence(session);
  const db = persistence.db;
  if (command.settings) {
    persistence.keep = command.settings.keep;
    persistence.everyMinutes = command.settings.everyMinutes;
    await putSettings(db, command.settings);
  }
  const stored = session.dataset && !refresh ? null : await getDataset(db);
  if (stored) {
    session.dataset = unpackDataset(stored);
    session.datasetEdits = await getEdits(db, datasetKeyOf(session.dataset));
    persistence.datasetBytes = packedBytes(stored);
  }
  const runs = await withoutEvictedCheckpoints(db, await listRuns(db));
  addRuns(session, runs, refresh);
  post({
    type: 'lab/opened',
    requestId: command.requestId,
    dataset: session.dataset?.summary ?? null,
    edits: session.datasetEdits,
    runs: runs.map(viewOf),
    storage: await storageInfo(persistence),
    settings: { keep: persistence.keep, everyMinutes: persistence.everyMinutes },
    queue: await getQueue(db),
  });
}

/** `queue/save`: keeps the run queue with the lab (nothing to do without storage: the lab CLI). */
export async function saveQueue(command: CommandOf<'queue/save'>, session: Session, post: Post): Promise<void> {
  if (!session.persistence) return;
  try {
    await putQueue(session.persistence.db, command.queue);
  } catch (err) {
    post({ type: 'storage/failed', message: saveFailure(err, 'the run queue') });
  }
}

/** `storage/forget`: deletes the stored dataset, the cached weights, a run, or a run's checkpoints. */
export async function forget(command: CommandOf<'storage/forget'>, session: Session, post: Post): Promise<void> {
  const persistence = persistenceOf(session);
  const { db } = persistence;
  const target = command.target;
  switch (target.kind) {
    case 'dataset':
      await deleteDataset(db);
      // Edits belong to the stored dataset: a forgotten one leaves none behind (the session keeps its own).
      await putEdits(db, '', []);
      persistence.datasetBytes = 0;
      break;
    case 'weights':
      await forgetCachedWeights();
      break;
    case 'run':
      session.runs.remove(target.runId);
      await deleteRun(db, target.runId);
      break;
    case 'checkpoints': {
      const run = session.runs.get(target.runId);
      const stored = (await listRuns(db)).find((r) => r.runId === target.runId);
      if (!run || !stored) throw new Error(`There is no stored run ${target.runId}.`);
      if (session.runs.active === run) throw new Error(`Run ${run.number} is training: stop it before deleting its checkpoints.`);
      await deleteCheckpoints(db, stored);
      run.lastCheckpoint = null;
      run.bestCheckpoint = null;
      run.checkpointBytes = 0;
      run.bestBytes = 0;
      break;
    }
  }
  post({ type: 'storage/changed', requestId: command.requestId, storage: await storageInfo(persistence), runs: await views(session) });
}

/** `lab/export`: every stored run with its best checkpoint, as one zip. */
export async function exportLab(command: CommandOf<'lab/export'>, session: Session, post: Post): Promise<void> {
  const { db } = persistenceOf(session);
  const runs = await listRuns(db);
  if (runs.length === 0) throw new Error('There are no saved runs to export yet.');
  const withBest = await Promise.all(
    runs.map(async (run) => {
      const id = run.bestCheckpoint ?? run.lastCheckpoint;
      return { run, best: id ? ((await getCheckpoint(db, id)) ?? null) : null };
    }),
  );
  const bytes = writeLabFile(withBest);
  const file: ExportFile = {
    name: `expression-lab-${runs.length}-runs.zip`,
    mimeType: 'application/zip',
    data: bytes.buffer as ArrayBuffer,
  };
  post({ type: 'export/ready', requestId: command.requestId, files: [file] });
}

/**
 * `lab/import`: adds a lab file's runs beside the local ones (renumbered after them; a run already
 * here is skipped). The whole file is checked first, so a bad file stores nothing.
 */
export async function importLab(command: CommandOf<'lab/import'>, session: Session, post: Post): Promise<void> {
  const persistence = persistenceOf(session);
  const { db } = persistence;
  const imported = readLabFile(new Uint8Array(command.data));
  let number = session.runs.all().length;
  for (const { run, checkpoint } of imported) {
    if (session.runs.get(run.runId)) continue;
    number += 1;
    const stored: StoredRun = {
      ...run,
      number,
      // Imported runs carry no momentum, so they do not resume; an interrupted one is shown stopped.
      status: run.status === 'running' ? 'stopped' : run.status,
      imported: true,
      lastCheckpoint: null,
      resumeAt: null,
      bestCheckpoint: checkpoint?.id ?? null,
      checkpointBytes: checkpoint?.data.byteLength ?? 0,
    };
    await commitCheckpoint(db, checkpoint, stored);
    session.runs.add(recordOf(stored, session));
  }
  post({ type: 'storage/changed', requestId: command.requestId, storage: await storageInfo(persistence), runs: await views(session) });
}
