/**
 * Checks on a tree's paths made before anything is decoded: entries that climb out of their folder
 * or start at the root, a zip that holds only another zip, and a class count no lab could show.
 */
import type { SkippedFile } from '../shared/types.ts';
import { extensionOf, IMAGE_EXTENSIONS } from './image-sniff.ts';
import { climbsOut, isCsvPath, junkReason, normalisePath, startsAtRoot } from './paths.ts';

/**
 * More classes than this are refused. It takes the usual transfer-learning sets (Food-101, Flowers-102,
 * Stanford Dogs' 120, CUB-200, Caltech-256) while the page stays usable: the confusion matrix is a
 * button per pair of classes (65,536 at the limit), the per-class charts a bar per class.
 */
export const MAX_CLASSES = 256;

/** The skip reason of an entry whose path climbs out of its folder (`../x.png`). */
export const CLIMBS_OUT_REASON = 'its path climbs out of the dataset folder with "../": skipped, never resolved';

const count = new Intl.NumberFormat('en-US');
const entries = (n: number): string => `${count.format(n)} entr${n === 1 ? 'y' : 'ies'}`;

/**
 * Paths that climb out (`../../x.png`) are skipped, as unzip tools refuse them; paths that start at
 * the root (`/x.png`, `C:\x.png`) are read as paths inside the dataset. Both are said once.
 */
export function checkEntryPaths(name: string, paths: readonly string[]): { skipped: SkippedFile[]; warnings: string[] } {
  const climbing = paths.filter(climbsOut);
  const rooted = paths.filter((path) => !climbsOut(path) && startsAtRoot(path));
  const warnings: string[] = [];
  if (climbing.length > 0) {
    warnings.push(
      `${entries(climbing.length)} in "${name}" ${climbing.length === 1 ? 'climbs' : 'climb'} out of the dataset folder with "../" (e.g. "${climbing[0]}"): skipped, never resolved.` +
        ' Re-create the zip from inside the dataset folder.',
    );
  }
  if (rooted.length > 0) {
    warnings.push(
      `${entries(rooted.length)} in "${name}" ${rooted.length === 1 ? 'starts' : 'start'} at the root (e.g. "${rooted[0]}"): read as paths inside the dataset, without the leading "/".`,
    );
  }
  return { skipped: climbing.map((path) => ({ path: path.replace(/\\/g, '/'), reason: CLIMBS_OUT_REASON })), warnings };
}

/**
 * The one zip to open instead of `name` when that zip holds, besides junk, nothing but one zip
 * (a download that wraps the dataset's zip), or null. Throws when it holds only several zips.
 */
export function onlyNestedZip<T extends { readonly path: string; readonly isDirectory: boolean }>(
  name: string,
  files: readonly T[],
): T | null {
  const zips: T[] = [];
  for (const file of files) {
    const path = normalisePath(file.path);
    if (file.isDirectory || path === '' || climbsOut(file.path) || junkReason(path) !== null) continue;
    const ext = extensionOf(path);
    if (IMAGE_EXTENSIONS.has(ext) || isCsvPath(path)) return null;
    if (ext === 'zip') zips.push(file);
  }
  if (zips.length >= 2) {
    const listed = zips.slice(0, 5).map((zip) => `"${normalisePath(zip.path)}"`);
    throw new Error(
      `"${name}" holds ${zips.length} zips (${listed.join(', ')}${zips.length > 5 ? ', …' : ''}) and no images.` +
        ' Unzip it, then drop the zip you want to use (or one folder of class folders).',
    );
  }
  return zips[0] ?? null;
}

/** Throws when a dataset has more than `MAX_CLASSES` classes, naming a few and the likely cause. */
export function checkClassCount(name: string, classes: ReadonlySet<string>): void {
  if (classes.size <= MAX_CLASSES) return;
  const examples = [...classes].sort().slice(0, 3);
  throw new Error(
    `"${name}" has ${count.format(classes.size)} class folders (${examples.map((c) => `"${c}"`).join(', ')}, …); the lab trains at most` +
      ` ${count.format(MAX_CLASSES)} classes (its confusion matrix shows every pair). Check the layout: each class is one folder (angry/, happy/, …) directly inside the dataset or` +
      ' inside train/ and test/, not one folder per image or per person. Merge classes, or train on fewer.',
  );
}
