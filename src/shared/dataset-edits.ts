/** Dataset edits (relabel, exclude) as both threads see them: identity, fingerprint, words. */
import { fnv1a } from './hash.ts';
import type { DatasetEdit, SplitName } from './types.ts';

/** The image an edit is about: one edit per image. */
export function editKey(edit: Pick<DatasetEdit, 'split' | 'path'>): string {
  return `${edit.split}\u0000${edit.path}`;
}

/** The edit of image `path` in `split`, if there is one. */
export function findEdit(edits: readonly DatasetEdit[], split: SplitName, path: string): DatasetEdit | undefined {
  return edits.find((e) => e.split === split && e.path === path);
}

/**
 * A short fingerprint of a list of edits (order does not matter): two runs with the same one saw the
 * same edits. "none" for no edits.
 */
export function editsFingerprint(edits: readonly DatasetEdit[] | undefined): string {
  if (!edits || edits.length === 0) return 'none';
  const lines = edits.map((e) => `${editKey(e)}\u0000${e.from}\u0000${e.to ?? 'x'}`).sort();
  return fnv1a(lines.join('\n')).toString(16).padStart(8, '0');
}

/** "12 edits (3 excluded, 9 relabelled)", "1 edit (relabelled)", "no edits". */
export function describeEdits(edits: readonly DatasetEdit[] | undefined): string {
  const n = edits?.length ?? 0;
  if (!edits || n === 0) return 'no edits';
  const excluded = edits.filter((e) => e.to === null).length;
  const parts = [excluded > 0 ? `${excluded} excluded` : '', n - excluded > 0 ? `${n - excluded} relabelled` : ''].filter(Boolean);
  return `${n} ${n === 1 ? 'edit' : 'edits'} (${parts.join(', ')})`;
}

/** One edit in words: "validation/sad/3.png: sad → happy" or "…: excluded (was sad)". */
export function describeEdit(edit: DatasetEdit, classes: readonly string[]): string {
  const name = (i: number) => classes[i] ?? String(i);
  return edit.to === null
    ? `${edit.split}: ${edit.path} excluded (was ${name(edit.from)})`
    : `${edit.split}: ${edit.path} ${name(edit.from)} → ${name(edit.to)}`;
}

/**
 * Says which runs trained on different edits of the dataset (their accuracies are then not measured
 * on the same images and labels), or null when they all saw the same edits.
 */
export function editsMismatch(
  runs: readonly { readonly number: number; readonly edits?: readonly DatasetEdit[] | undefined }[],
): string | null {
  const groups = new Map<string, number[]>();
  for (const run of [...runs].sort((a, b) => a.number - b.number)) {
    const fp = editsFingerprint(run.edits);
    groups.set(fp, [...(groups.get(fp) ?? []), run.number]);
  }
  if (groups.size < 2) return null;
  const parts = [...groups.entries()].map(
    ([fp, numbers]) => `${numbers.length === 1 ? 'run' : 'runs'} ${numbers.join(', ')}: ${fp === 'none' ? 'no edits' : `edits ${fp}`}`,
  );
  return `These runs trained on different edits of the dataset (${parts.join('; ')}): their validation images or labels differ, so compare their accuracies with care.`;
}
