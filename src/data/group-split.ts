/**
 * Carving validation out of train by group: whole subjects (or the user's pattern groups) move to
 * validation, so no group is on both sides, stratified by class as far as the groups allow.
 */
import type { DatasetOptions, SplitBy } from '../shared/types.ts';
import type { StoredImage } from './dataset.ts';
import { evidentSubjects, patternGroups, type GroupKeys } from './group-keys.ts';
import { fnv1a } from '../shared/hash.ts';
import { createRandom, shuffleInPlace } from '../shared/random.ts';
import { carveValidation, validationCountFor, type CarvedSplit } from './split.ts';

/** A carved split, how it was carved, and warnings for the summary. */
export interface GroupedCarve extends CarvedSplit {
  readonly splitBy: SplitBy;
  readonly warnings: readonly string[];
}

/**
 * Moves whole groups from train to validation, never leaving a class without train images.
 * Groups are sorted by key and shuffled with mulberry32(seed ^ fnv1a("groups")). First pass: a group
 * is taken when it brings the per-class validation counts closer to `validationCountFor(n, fraction)`
 * in total (stratified). Second pass, for groups too big for that (a subject with more frames than a
 * class's target): a group is taken when it fills a class still short of its target and brings the
 * validation total closer to the sum of the targets. Images with a null key are groups of their own.
 */
export function carveByGroup(
  train: readonly StoredImage[],
  keys: readonly (string | null)[],
  classCount: number,
  fraction: number,
  seed: number,
): CarvedSplit & { groups: number; validationKeys: string[] } {
  const groups = new Map<string, StoredImage[]>();
  train.forEach((image, i) => {
    const key = keys[i] ?? `\u0000${image.path}`;
    const members = groups.get(key);
    if (members) members.push(image);
    else groups.set(key, [image]);
  });
  const order = shuffleInPlace([...groups.keys()].sort(), createRandom((seed ^ fnv1a('groups')) >>> 0));
  const inTrain = new Array<number>(classCount).fill(0);
  for (const image of train) inTrain[image.classIndex] = (inTrain[image.classIndex] ?? 0) + 1;
  const target = inTrain.map((n) => validationCountFor(n, fraction));
  const totalTarget = target.reduce((a, b) => a + b, 0);
  const taken = new Array<number>(classCount).fill(0);
  let totalTaken = 0;
  const validationKeys: string[] = [];
  const perClass = (members: readonly StoredImage[]) => {
    const add = new Array<number>(classCount).fill(0);
    for (const image of members) add[image.classIndex] = (add[image.classIndex] ?? 0) + 1;
    return add;
  };
  const emptiesTrain = (add: readonly number[]) => add.some((n, c) => n > 0 && (inTrain[c] ?? 0) - n <= 0);
  const take = (key: string, add: readonly number[]) => {
    validationKeys.push(key);
    add.forEach((n, c) => {
      taken[c] = (taken[c] ?? 0) + n;
      inTrain[c] = (inTrain[c] ?? 0) - n;
      totalTaken += n;
    });
  };
  for (const key of order) {
    const add = perClass(groups.get(key) ?? []);
    const gain = add.reduce(
      (sum, n, c) => sum + Math.abs((taken[c] ?? 0) - (target[c] ?? 0)) - Math.abs((taken[c] ?? 0) + n - (target[c] ?? 0)),
      0,
    );
    if (gain > 0 && !emptiesTrain(add)) take(key, add);
  }
  const chosenKeys = new Set(validationKeys);
  for (const key of order) {
    if (chosenKeys.has(key) || totalTaken >= totalTarget) continue;
    const add = perClass(groups.get(key) ?? []);
    const size = add.reduce((a, b) => a + b, 0);
    const fillsShortClass = add.some((n, c) => n > 0 && (taken[c] ?? 0) < (target[c] ?? 0));
    const closer = Math.abs(totalTaken + size - totalTarget) < Math.abs(totalTaken - totalTarget);
    if (fillsShortClass && closer && !emptiesTrain(add)) take(key, add);
  }
  const chosen = new Set(validationKeys.flatMap((key) => groups.get(key) ?? []));
  return {
    train: train.filter((image) => !chosen.has(image)),
    validation: train.filter((image) => chosen.has(image)),
    groups: groups.size,
    validationKeys,
  };
}

function groupsFor(train: readonly StoredImage[], options: DatasetOptions): GroupKeys | null {
  const paths = train.map((image) => image.path);
  if (options.groupBy === 'pattern') return patternGroups(paths, options.groupPattern ?? '');
  if (options.groupBy === 'image') return null;
  return evidentSubjects(paths);
}

/** Carves validation from train as `options.groupBy` says (default `auto`), with warnings where groups matter. */
export function carveTrain(train: readonly StoredImage[], classes: readonly string[], options: DatasetOptions): GroupedCarve {
  const { validationFraction: fraction, seed } = options;
  const groups = groupsFor(train, options);
  if (!groups) {
    const warnings: string[] = [];
    const evident = options.groupBy === 'image' && fraction > 0 ? evidentSubjects(train.map((image) => image.path)) : null;
    if (evident?.example) {
      const subjects = new Set(evident.keys.filter((k) => k !== null)).size;
      warnings.push(
        `File names carry subjects (${evident.example.key} in "${evident.example.path}": ${subjects} subjects), but validation was split per image: ` +
          'frames of one person sit on both sides, so validation accuracy will look better than it is. Split by subject instead.',
      );
    }
    return { ...carveValidation(train, classes, fraction, seed), splitBy: { kind: 'image' }, warnings };
  }
  const carved = carveByGroup(train, groups.keys, classes.length, fraction, seed);
  const unmatched = groups.keys.filter((k) => k === null).length;
  const warnings =
    unmatched > 0
      ? [
          `${unmatched} train images have no ${groups.kind === 'subject' ? 'subject' : 'group'} in their path; each counts as its own group.`,
        ]
      : [];
  return {
    train: carved.train,
    validation: carved.validation,
    splitBy: {
      kind: groups.kind,
      groups: carved.groups,
      validationGroups: carved.validationKeys.length,
      // Images without a key are groups of one, keyed by a NUL-prefixed path: not names to show.
      validationKeys: carved.validationKeys
        .filter((key) => !key.startsWith('\u0000'))
        .sort()
        .slice(0, 500),
    },
    warnings,
  };
}
