/**
 * Group keys in file names: the person (or recording) an image comes from. Video-frame datasets
 * such as CK+ name files `S010_004_00000017.png` (subject, sequence, frame); consecutive frames
 * are near-identical, so a split that puts one subject on both sides measures memory, not skill.
 */

/** CK+ style: letters and digits (the subject), then numeric sequence and frame fields. */
const SUBJECT_IN_NAME = /^([A-Za-z]+\d+)[_-]\d+[_-]\d+\.[A-Za-z0-9]+$/;

/** Share of images whose names must carry a subject before groups count as evident. */
const EVIDENT_SHARE = 0.9;

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** Group keys per path, or null where the path has none; `kind` names what the groups are. */
export interface GroupKeys {
  readonly kind: 'subject' | 'pattern';
  readonly keys: readonly (string | null)[];
  /** An example path with its key, for messages. */
  readonly example: { readonly path: string; readonly key: string } | null;
}

/**
 * Subjects in file names when they are evident: at least 90% of names look like
 * `S010_004_00000017.png`, and there are at least 2 subjects with fewer subjects than images
 * (otherwise grouping changes nothing). Null when not evident.
 */
export function evidentSubjects(paths: readonly string[]): GroupKeys | null {
  const keys = paths.map((path) => SUBJECT_IN_NAME.exec(baseName(path))?.[1] ?? null);
  const matched = keys.filter((key): key is string => key !== null);
  const distinct = new Set(matched).size;
  if (matched.length < EVIDENT_SHARE * paths.length || distinct < 2 || distinct >= matched.length) return null;
  const at = keys.findIndex((key) => key !== null);
  return { kind: 'subject', keys, example: { path: paths[at] ?? '', key: keys[at] ?? '' } };
}

/**
 * Groups from a user-given regular expression with exactly one capture group, matched against each
 * path. Throws a user-facing Error for an invalid pattern, a pattern without exactly one capture
 * group, or one that matches no path.
 */
export function patternGroups(paths: readonly string[], pattern: string): GroupKeys {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (err) {
    throw new Error(`The group pattern /${pattern}/ is not a valid regular expression (${(err as Error).message}).`);
  }
  const captures = (new RegExp(`${pattern}|`).exec('')?.length ?? 1) - 1;
  if (captures !== 1) {
    throw new Error(
      `The group pattern /${pattern}/ has ${captures} capture groups; it needs exactly one, around the part of the path that names the group, e.g. ^.*/(S\\d+)_.`,
    );
  }
  const keys = paths.map((path) => regex.exec(path)?.[1] ?? null);
  const at = keys.findIndex((key) => key !== null);
  if (at < 0) {
    throw new Error(
      `The group pattern /${pattern}/ matches none of the ${paths.length} train images' paths (e.g. "${paths[0] ?? ''}"). ` +
        'Fix the pattern, or split per image.',
    );
  }
  return { kind: 'pattern', keys, example: { path: paths[at] ?? '', key: keys[at] ?? '' } };
}
