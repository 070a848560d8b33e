/**
 * What the lab keeps in IndexedDB, as plain structured-clone data. The database version is the
 * schema version: a newer app upgrades older stores in `upgradeLab`; an older app refuses a newer
 * database (and a newer lab file) with a message instead of misreading it.
 */
import type { DBSchema, IDBPDatabase } from 'idb';
import type {
  CheckpointSettings,
  DatasetEdit,
  DatasetSummary,
  EpochProgress,
  ResumePoint,
  RunQueue,
  SavedRun,
  SplitName,
} from '../shared/types.ts';

/** Bump when a store's shape changes, and add the step to `upgradeLab`. */
export const SCHEMA_VERSION = 3;
export const DB_NAME = 'expression-lab';

/** One run: what the page shows (SavedRun) and what a Resume needs besides the tensors. */
export interface StoredRun extends SavedRun {
  /** Dataset name, classes and split sizes, so a Resume refuses a different dataset. */
  readonly datasetKey: string;
  /** Checkpoint ids; a pointer moves only after its checkpoint is fully written. */
  readonly lastCheckpoint: string | null;
  readonly bestCheckpoint: string | null;
  /** Bytes of the checkpoints the pointers reach (read without loading them). */
  readonly checkpointBytes?: number;
  /** Where `lastCheckpoint` stands (absent in version 1: its id names the epoch). */
  readonly resumeAt?: ResumePoint | null;
}

/** Name, shape and byte range of one tensor inside a checkpoint's `data`. */
export interface TensorEntry {
  readonly name: string;
  readonly shape: readonly number[];
  /** Offset and length in float32 elements. */
  readonly offset: number;
  readonly length: number;
}

/**
 * Where a mid-epoch checkpoint stands in epoch `epoch + 1`: the epoch's progress and its random
 * streams as they were derived when it was written (a resume that derives others refuses it).
 */
export interface CheckpointPosition extends EpochProgress {
  readonly streams: { readonly shuffle: number; readonly order: number; readonly augment: number };
}

/**
 * A checkpoint as the lab reads it: weights (params + BN buffers) and, for a resumable checkpoint,
 * momentum buffers (`momentum/<name>`), packed in `data` as `tensors` lays them out.
 */
export interface StoredCheckpoint {
  readonly id: string;
  readonly runId: string;
  /** Epochs finished when it was written. */
  readonly epoch: number;
  readonly tensors: readonly TensorEntry[];
  readonly data: Float32Array;
  /** Set for a mid-epoch checkpoint (written between two batches of epoch `epoch + 1`). */
  readonly position?: CheckpointPosition;
}

/**
 * A checkpoint as IndexedDB holds it. Since version 3 its float32 data is a Blob: the browser
 * writes a Blob's bytes to its own files without serialising them into the record on the
 * writing thread (a ~190 MB Float32Array in the record stalled training for over a second), and
 * reading the record costs nothing until the data is asked for. Records of versions 1 and 2 hold
 * a Float32Array and are read as they are (getCheckpoint).
 */
export interface CheckpointRecord extends Omit<StoredCheckpoint, 'data'> {
  readonly data: Blob | Float32Array;
}

/** One split packed into one buffer: pixels back to back, and per image [width, height, channels, classIndex, offset]. */
export interface PackedSplit {
  readonly pixels: Uint8Array;
  readonly meta: Int32Array;
  readonly paths: readonly string[];
}

/** The imported dataset (one kept at a time), its pixels and summary. */
export interface StoredDataset {
  readonly key: 'current';
  readonly name: string;
  readonly classes: readonly string[];
  readonly summary: DatasetSummary;
  readonly splits: Readonly<Record<SplitName, PackedSplit>>;
}

/**
 * The lab's own records (version 2): the checkpoint settings, the run queue, and the person's edits
 * of the stored dataset (relabelled or excluded images) with the key of the dataset they belong to.
 * The edits live here, not in the dataset record, so an edit never rewrites the dataset's pixels; a
 * new record kind in an existing store needs no version step (an older app ignores it).
 */
export type StoredLabRecord =
  | { readonly key: 'settings'; readonly settings: CheckpointSettings }
  | { readonly key: 'queue'; readonly queue: RunQueue }
  | { readonly key: 'edits'; readonly datasetKey: string; readonly edits: readonly DatasetEdit[] };

/** Store names, typed for idb. */
export interface LabSchema extends DBSchema {
  runs: { key: string; value: StoredRun };
  checkpoints: { key: string; value: CheckpointRecord; indexes: { byRun: string } };
  dataset: { key: string; value: StoredDataset };
  lab: { key: StoredLabRecord['key']; value: StoredLabRecord };
}

/** Creates or upgrades the stores from `oldVersion` (0 = new database). Each step runs once, in order. */
export function upgradeLab(db: IDBPDatabase<LabSchema>, oldVersion: number): void {
  if (oldVersion < 1) {
    db.createObjectStore('runs', { keyPath: 'runId' });
    db.createObjectStore('checkpoints', { keyPath: 'id' }).createIndex('byRun', 'runId');
    db.createObjectStore('dataset', { keyPath: 'key' });
  }
  if (oldVersion < 2) db.createObjectStore('lab', { keyPath: 'key' });
  // Version 3 stores new checkpoint data as a Blob; older records keep their Float32Array and stay readable.
}
