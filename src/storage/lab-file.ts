/**
 * A whole lab as one file, to move it to another machine: a zip holding `lab.json` (format,
 * schema version, runs with their settings and metrics) and each run's best checkpoint as raw
 * float32 (`checkpoints/<runId>.f32`). Reading it checks everything before anything is stored.
 */
import { unzipSync, zipSync } from 'fflate';
import { SCHEMA_VERSION, type StoredCheckpoint, type StoredRun, type TensorEntry } from './schema.ts';

export const LAB_FILE_FORMAT = 'expression-lab/lab';

interface LabFileRun {
  readonly run: StoredRun;
  readonly checkpoint: { readonly epoch: number; readonly tensors: readonly TensorEntry[] } | null;
}

/** A run and its best checkpoint (or null), ready to store. */
export interface ImportedRun {
  readonly run: StoredRun;
  readonly checkpoint: StoredCheckpoint | null;
}

/** Writes the lab file: every run with its best checkpoint's weights (momentum buffers left out). */
export function writeLabFile(runs: readonly { run: StoredRun; best: StoredCheckpoint | null }[]): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  const entries: LabFileRun[] = runs.map(({ run, best }) => {
    if (!best) return { run, checkpoint: null };
    const tensors = best.tensors.filter((t) => !t.name.startsWith('momentum/'));
    const length = tensors.reduce((n, t) => n + t.length, 0);
    const data = new Float32Array(length);
    let offset = 0;
    const moved = tensors.map((t) => {
      data.set(best.data.subarray(t.offset, t.offset + t.length), offset);
      const entry = { ...t, offset };
      offset += t.length;
      return entry;
    });
    files[`checkpoints/${run.runId}.f32`] = new Uint8Array(data.buffer);
    return { run, checkpoint: { epoch: best.epoch, tensors: moved } };
  });
  files['lab.json'] = new TextEncoder().encode(JSON.stringify({ format: LAB_FILE_FORMAT, schemaVersion: SCHEMA_VERSION, runs: entries }));
  return zipSync(files, { level: 0 });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkRun(value: unknown, index: number): StoredRun {
  const where = `run ${index + 1} of the lab file`;
  if (!isObject(value)) throw new Error(`The ${where} is not an object.`);
  const { runId, config, classes, history, batches } = value;
  if (typeof runId !== 'string' || runId.length === 0) throw new Error(`The ${where} has no runId.`);
  if (!isObject(config) || typeof config.inputSize !== 'number' || typeof config.batchSize !== 'number')
    throw new Error(`The ${where} has no valid training settings.`);
  if (!Array.isArray(classes) || classes.length < 2 || !classes.every((c) => typeof c === 'string'))
    throw new Error(`The ${where} does not list at least two class names.`);
  if (!Array.isArray(history) || !Array.isArray(batches)) throw new Error(`The ${where} has no metrics (history and batches).`);
  return value as unknown as StoredRun;
}

/**
 * Reads a lab file. Refuses, in words: a file that is not a zip, one without lab.json, another
 * format, a newer schema, malformed runs, or checkpoint data that does not match its table.
 */
export function readLabFile(bytes: Uint8Array, name = 'the lab file'): ImportedRun[] {
  if (bytes.byteLength === 0) throw new Error(`"${name}" is empty (0 bytes). Choose the .zip that "Export lab" wrote.`);
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch {
    throw new Error(`"${name}" is not a lab file (it is not a readable zip). Choose the .zip that "Export lab" wrote.`);
  }
  const manifest = files['lab.json'];
  if (!manifest) throw new Error(`"${name}" holds no lab.json, so it is not an Expression Lab lab file.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(manifest));
  } catch {
    throw new Error(`The lab.json in "${name}" is not valid JSON; the file is damaged.`);
  }
  if (!isObject(parsed) || parsed.format !== LAB_FILE_FORMAT)
    throw new Error(`"${name}" is not an Expression Lab lab file (format "${String(isObject(parsed) ? parsed.format : '')}").`);
  const version = parsed.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) throw new Error(`"${name}" has no valid schema version.`);
  if (version > SCHEMA_VERSION)
    throw new Error(
      `"${name}" was saved by a newer Expression Lab (schema ${version}; this one reads up to ${SCHEMA_VERSION}). Update the app, then import it.`,
    );
  if (!Array.isArray(parsed.runs)) throw new Error(`"${name}" lists no runs.`);
  return parsed.runs.map((entry: unknown, i) => {
    if (!isObject(entry)) throw new Error(`Run ${i + 1} of "${name}" is not an object.`);
    const run = checkRun(entry.run, i);
    const meta = entry.checkpoint as LabFileRun['checkpoint'];
    if (!meta) return { run, checkpoint: null };
    const raw = files[`checkpoints/${run.runId}.f32`];
    if (!raw) throw new Error(`"${name}" lists a checkpoint for run ${i + 1} but holds no checkpoints/${run.runId}.f32.`);
    if (raw.byteLength % 4 !== 0)
      throw new Error(`The checkpoint of run ${i + 1} in "${name}" is truncated (${raw.byteLength} bytes is not whole float32 values).`);
    const data = new Float32Array(raw.slice().buffer);
    for (const t of meta.tensors) {
      const size = t.shape.reduce((a, b) => a * b, 1);
      if (size !== t.length || t.offset < 0 || t.offset + t.length > data.length)
        throw new Error(`The checkpoint of run ${i + 1} in "${name}" does not match its table (tensor ${t.name}); the file is damaged.`);
    }
    return { run, checkpoint: { id: `${run.runId}/e${meta.epoch}`, runId: run.runId, epoch: meta.epoch, tensors: meta.tensors, data } };
  });
}
