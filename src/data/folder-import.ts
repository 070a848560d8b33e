/**
 * Imports a tree of files (a zip's entries or loose files): drops junk, detects the layout,
 * inflates and decodes each image with bounded concurrency, and falls back to a CSV when the
 * tree holds no images but does hold a `.csv`.
 */
import type { SkippedFile, SplitName } from '../shared/types.ts';
import type { CollectedImages, LabelledImage } from './assemble.ts';
import type { ImageDecoder } from './dataset.ts';
import { readFer2013Csv } from './csv-import.ts';
import { DECODE_CONCURRENCY, forEachBounded } from './decode-pool.ts';
import { animatedWarning, decodeOne, type TreeFile } from './decode-one.ts';
import { detectLayout } from './layout.ts';
import { climbsOut, isCsvPath, junkReason, nonImageReason, normalisePath, segmentsOf } from './paths.ts';
import type { ImportProgress } from './progress.ts';
import { checkClassCount, checkEntryPaths } from './tree-checks.ts';

export type { TreeFile } from './decode-one.ts';

function describeTopLevel(paths: readonly string[]): string {
  const top = [
    ...new Set(
      paths.map((p) => {
        const s = segmentsOf(p);
        return s.length > 1 ? `${s[0]}/` : (s[0] ?? '');
      }),
    ),
  ];
  if (top.length === 0) return 'It is empty.';
  return `Its top level holds: ${top.slice(0, 12).join(', ')}${top.length > 12 ? `, and ${top.length - 12} more` : ''}.`;
}

/** Reads the tree into labelled images. Throws a user-facing Error when it holds no images (and no CSV). */
export async function importTree(
  name: string,
  format: 'zip' | 'files',
  allFiles: readonly TreeFile[],
  decode: ImageDecoder,
  progress: ImportProgress,
): Promise<CollectedImages> {
  const paths = checkEntryPaths(
    name,
    allFiles.filter((f) => !f.isDirectory).map((f) => f.path),
  );
  const skipped: SkippedFile[] = [...paths.skipped];
  const candidates: { file: TreeFile; path: string }[] = [];
  const csvFiles: TreeFile[] = [];
  const files = allFiles.filter((file) => !climbsOut(file.path));
  for (const file of files) {
    const path = normalisePath(file.path);
    if (file.isDirectory || path === '') continue;
    const junk = junkReason(path);
    if (junk !== null) skipped.push({ path, reason: junk });
    else if (isCsvPath(path)) csvFiles.push(file);
    else if (nonImageReason(path) === null) candidates.push({ file, path });
    else skipped.push({ path, reason: nonImageReason(path) ?? 'not an image' });
  }
  if (candidates.length === 0 && csvFiles.length > 0) {
    const [csv, ...extra] = csvFiles as [TreeFile, ...TreeFile[]];
    let bytes: Uint8Array;
    try {
      bytes = csv.read();
    } catch (error) {
      if (error instanceof RangeError) throw error;
      throw new Error(
        `Could not read "${normalisePath(csv.path)}" in "${name}": ${error instanceof Error ? error.message : String(error)}.`,
      );
    }
    for (const file of extra) skipped.push({ path: normalisePath(file.path), reason: 'only one CSV is read per import (the first one)' });
    const collected = await readFer2013Csv(bytes, normalisePath(csv.path), progress);
    return { ...collected, name, skipped: [...skipped, ...collected.skipped], warnings: [...paths.warnings, ...collected.warnings] };
  }
  if (candidates.length === 0) {
    throw new Error(
      `No images found in "${name}". ${describeTopLevel(files.filter((f) => !f.isDirectory).map((f) => normalisePath(f.path)))}` +
        ' Expected folders named after each expression (angry/, happy/, …) holding .jpg or .png images, optionally inside train/ and test/ folders, or a FER2013 .csv.',
    );
  }
  const layout = detectLayout(candidates.map((c) => c.path));
  checkClassCount(
    name,
    new Set(
      candidates.flatMap(({ path }) => {
        const placed = layout.placeFile(path);
        return 'reason' in placed ? [] : [placed.className];
      }),
    ),
  );
  const classFolders = new Map<string, Set<SplitName>>();
  const noteFolder = (placed: { split: SplitName; className: string } | null): void => {
    if (placed) classFolders.set(placed.className, (classFolders.get(placed.className) ?? new Set()).add(placed.split));
  };
  const visible = (path: string): boolean => segmentsOf(path).every((s) => !s.startsWith('.') && s !== '__MACOSX');
  for (const file of files) {
    const path = normalisePath(file.path);
    if (file.isDirectory && visible(path)) noteFolder(layout.classOfFolder(path));
  }
  for (const path of [...skipped.map((s) => s.path), ...csvFiles.map((f) => normalisePath(f.path))]) {
    const placed = layout.placeFile(path);
    if (!('reason' in placed) && visible(path.slice(0, path.lastIndexOf('/') + 1))) noteFolder(placed);
  }
  for (const file of csvFiles) skipped.push({ path: normalisePath(file.path), reason: 'CSV ignored: this dataset has image folders' });

  const images: (LabelledImage | null)[] = new Array<LabelledImage | null>(candidates.length).fill(null);
  const splitsPresent = new Set<SplitName>();
  const animated: string[] = [];
  await forEachBounded(
    candidates,
    DECODE_CONCURRENCY,
    async ({ file, path }, index) => {
      const placed = layout.placeFile(path);
      if ('reason' in placed) return void skipped.push({ path, reason: placed.reason });
      noteFolder(placed);
      splitsPresent.add(placed.split);
      const result = await decodeOne(file, decode);
      if (typeof result === 'string') return void skipped.push({ path, reason: result });
      images[index] = { ...placed, path, image: result.image };
      if (result.animated) animated.push(path);
    },
    async (index) => {
      progress.report(index, candidates.length, 'decoding');
      await progress.checkpoint();
    },
  );
  progress.report(candidates.length, candidates.length, 'decoding');
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    name,
    format,
    images: images.filter((i): i is LabelledImage => i !== null),
    classFolders,
    splitsPresent,
    skipped,
    warnings: [...paths.warnings, ...animatedWarning(name, animated)],
  };
}
