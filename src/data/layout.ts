/**
 * Works out where the classes are from the image paths alone:
 * an optional single root folder (`fer2013/`), then either split folders (`train/`, `val/`,
 * `test/` and their variants, any case) holding class folders, or class folders directly
 * (everything is then train). Paths are normalised (see `normalisePath`).
 */
import type { SplitName } from '../shared/types.ts';
import { segmentsOf } from './paths.ts';

const SPLIT_FOLDER_NAMES: Readonly<Record<string, SplitName>> = {
  train: 'train',
  training: 'train',
  val: 'validation',
  valid: 'validation',
  validation: 'validation',
  test: 'test',
  testing: 'test',
};

/** Where a file belongs, or why it belongs nowhere. */
export type Placement = { readonly split: SplitName; readonly className: string } | { readonly reason: string };

/** The detected folder structure. */
export interface Layout {
  /** Root folder prefix stripped from every path, e.g. `fer2013/`, or ''. */
  readonly root: string;
  /** True when split folders were found; otherwise class folders sit directly under the root. */
  readonly hasSplits: boolean;
  /** Places a file path. */
  placeFile(path: string): Placement;
  /** The class a folder path denotes when it is exactly a class folder (for empty-folder detection), else null. */
  classOfFolder(path: string): { readonly split: SplitName; readonly className: string } | null;
}

/** The split a folder name denotes (`Training`, `VAL`, …), or null. */
export function splitOfFolder(name: string): SplitName | null {
  return SPLIT_FOLDER_NAMES[name.toLowerCase()] ?? null;
}

function findRoot(paths: readonly string[][]): number {
  let depth = 0;
  for (;;) {
    const first = paths[0]?.[depth];
    if (first === undefined || splitOfFolder(first) !== null) return depth;
    const shared = paths.every((segments) => segments.length > depth + 1 && segments[depth] === first);
    const hasFolderBelow = paths.some((segments) => segments.length >= depth + 3);
    if (!shared || !hasFolderBelow) return depth;
    depth++;
  }
}

/** Detects the layout from the paths of the image files (junk and non-images already removed). */
export function detectLayout(imagePaths: readonly string[]): Layout {
  const split = imagePaths.map(segmentsOf);
  const rootDepth = findRoot(split);
  const rootSegments = split[0]?.slice(0, rootDepth) ?? [];
  const root = rootSegments.length > 0 ? `${rootSegments.join('/')}/` : '';
  const hasSplits = split.some((segments) => segments.length > rootDepth + 1 && splitOfFolder(segments[rootDepth] ?? '') !== null);

  const relative = (path: string): string[] | null => (path.startsWith(root) ? segmentsOf(path.slice(root.length)) : null);

  const placeFile = (path: string): Placement => {
    const rel = relative(path);
    if (rel === null) return { reason: `outside the dataset folder "${root}"` };
    if (!hasSplits) {
      const className = rel[0];
      if (rel.length < 2 || className === undefined) return { reason: 'at the top level, not inside a class folder' };
      return { split: 'train', className };
    }
    const splitName = splitOfFolder(rel[0] ?? '');
    if (splitName === null) return { reason: 'not inside a train, validation or test folder' };
    const className = rel[1];
    if (rel.length < 3 || className === undefined)
      return { reason: `directly inside the split folder "${rel[0]}/", not in a class folder` };
    return { split: splitName, className };
  };

  const classOfFolder = (path: string): { split: SplitName; className: string } | null => {
    const rel = relative(path.replace(/\/$/, ''));
    if (rel === null || rel.length !== (hasSplits ? 2 : 1)) return null;
    const placed = placeFile(`${path.replace(/\/$/, '')}/_`);
    return 'reason' in placed ? null : placed;
  };

  return { root, hasSplits, placeFile, classOfFolder };
}
