/**
 * The one entry the worker calls to load a dataset: a zip (sniffed by magic bytes), a
 * FER2013-style CSV (alone or inside a zip), loose files from a dropped folder, or the
 * built-in demo set. Decoding is injected so Node tests can run without a browser.
 */
import type { DatasetSource } from '../shared/protocol.ts';
import { DEFAULT_DATASET_OPTIONS } from '../shared/train-defaults.ts';
import type { DatasetOptions } from '../shared/types.ts';
import { assembleDataset } from './assemble.ts';
import { readFer2013Csv } from './csv-import.ts';
import type { Dataset, ImageDecoder } from './dataset.ts';
import { createDemoDataset } from './demo-dataset.ts';
import { importTree, type TreeFile } from './folder-import.ts';
import { outOfMemoryError } from './memory.ts';
import { isCsvPath } from './paths.ts';
import { ImportProgress, type ProgressCallback } from './progress.ts';
import { looksLikeZip, readZipEntry } from './zip-reader.ts';
import { openZip } from './zip-open.ts';
import { onlyNestedZip } from './tree-checks.ts';
import type { CollectedImages } from './assemble.ts';

/** What `importDataset` needs from its host. */
export interface ImportDeps {
  /** Decodes one encoded image; `createBrowserImageDecoder()` in the worker. */
  readonly decode: ImageDecoder;
  /** Throttled progress (about every 1% or 100 ms). */
  readonly onProgress?: ProgressCallback;
  /** Aborting rejects the import with an Error named `AbortError`, between files. */
  readonly signal?: AbortSignal;
}

function looksLikeCsv(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8')
    .decode(bytes.subarray(0, 64))
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  return /^"?(emotion|pixels|usage)"?\s*,/.test(head);
}

function describeUnknown(name: string): Error {
  return new Error(
    `"${name}" is not a zip archive or a CSV file (its first bytes are not a zip signature nor a CSV header).` +
      ' Drop a .zip of class folders, a FER2013 .csv, or a folder of images.',
  );
}

const LEGACY_NAMES = { shift_jis: 'Shift_JIS (Japanese Windows)', cp437: 'CP437 (the zip default, as Windows writes it)' } as const;

async function importArchive(
  name: string,
  bytes: Uint8Array,
  options: DatasetOptions,
  deps: ImportDeps,
  progress: ImportProgress,
  outer?: string,
): Promise<CollectedImages> {
  if (bytes.byteLength === 0) {
    throw new Error(`"${name}" is empty (0 bytes): the download or copy did not finish. Get the file again, then drop it.`);
  }
  if (looksLikeZip(bytes)) {
    const { entries, legacyNames } = openZip(bytes, name, options.maxUncompressedBytes);
    progress.report(entries.length, entries.length, 'unzipping');
    const nested = onlyNestedZip(name, entries);
    if (nested) {
      if (outer !== undefined) {
        throw new Error(
          `"${name}" in "${outer}" holds only another zip, "${nested.path}"; zips are opened one level deep. Unzip them, then drop the folder of images.`,
        );
      }
      let innerBytes: Uint8Array;
      try {
        innerBytes = readZipEntry(bytes, nested);
      } catch (error) {
        if (error instanceof RangeError) throw error;
        throw new Error(
          `Could not read "${nested.path}" in "${name}": ${error instanceof Error ? error.message : String(error)}. Re-create the zip.`,
        );
      }
      const inner = await importArchive(`${name}/${nested.path}`, innerBytes, options, deps, progress, name);
      return { ...inner, warnings: [`"${name}" holds only one zip, "${nested.path}": the dataset was read from it.`, ...inner.warnings] };
    }
    const files: TreeFile[] = entries.map((entry) => ({
      path: entry.path,
      isDirectory: entry.isDirectory,
      read: () => readZipEntry(bytes, entry),
    }));
    const collected = await importTree(name, 'zip', files, deps.decode, progress);
    if (legacyNames === null) return collected;
    const said =
      `File names in "${name}" are not marked as UTF-8; they were read as ${LEGACY_NAMES[legacyNames]}.` +
      ' If class names look wrong, re-create the zip with UTF-8 names (7-Zip, or Windows 11 Explorer).';
    return { ...collected, warnings: [said, ...collected.warnings] };
  }
  if (isCsvPath(name) || looksLikeCsv(bytes)) return readFer2013Csv(bytes, name, progress);
  if (name.toLowerCase().endsWith('.zip')) {
    throw new Error(
      `"${name}" is named like a zip but is not one (it does not start with the zip signature "PK"). Re-download or re-create the archive.`,
    );
  }
  throw describeUnknown(name);
}

async function collect(
  source: DatasetSource & { kind: 'archive' | 'files' },
  settings: DatasetOptions,
  deps: ImportDeps,
  progress: ImportProgress,
) {
  if (source.kind === 'archive') return importArchive(source.name, new Uint8Array(source.data), settings, deps, progress);
  const only = source.files.length === 1 ? source.files[0] : undefined;
  if (only && (looksLikeZip(new Uint8Array(only.data)) || isCsvPath(only.path))) {
    return importArchive(only.path.split('/').pop() ?? only.path, new Uint8Array(only.data), settings, deps, progress);
  }
  const files: TreeFile[] = source.files.map((file) => ({ path: file.path, isDirectory: false, read: () => new Uint8Array(file.data) }));
  return importTree(source.name, 'files', files, deps.decode, progress);
}

/**
 * Imports a dataset in the worker. Resolves to a `Dataset` whose validation split is always
 * filled (carved from train with `options.seed` when the data has none). Rejects with an Error
 * whose message says what was wrong and what to do; with name `AbortError` when `deps.signal` aborts.
 */
export async function importDataset(source: DatasetSource, options: Partial<DatasetOptions>, deps: ImportDeps): Promise<Dataset> {
  const startedAt = Date.now();
  const settings: DatasetOptions = { ...DEFAULT_DATASET_OPTIONS, ...options };
  const progress = new ImportProgress(deps.onProgress, deps.signal);
  progress.throwIfCancelled();
  if (source.kind === 'demo') return createDemoDataset(settings.seed);
  try {
    const collected = await collect(source, settings, deps, progress);
    progress.report(0, 1, 'splitting');
    await progress.checkpoint();
    const dataset = assembleDataset(collected, settings, startedAt);
    progress.report(1, 1, 'splitting');
    return dataset;
  } catch (error) {
    // Typed-array allocation failures surface as RangeError ("Array buffer allocation failed").
    if (error instanceof RangeError) throw outOfMemoryError(source.name, error);
    throw error;
  }
}
