import { describe, expect, it } from 'vitest';
import type { Dataset } from './dataset.ts';
import { evidentSubjects, patternGroups } from './group-keys.ts';
import { importDataset } from './import-dataset.ts';
import { folderZip, frameSequenceZip } from './testing/fixture-datasets.ts';
import { headerDecoder } from './testing/header-decoder.ts';
import { archiveSource } from './testing/zips.ts';

const CK_CLASSES = ['anger', 'contempt', 'disgust', 'fear', 'happy', 'sadness', 'surprise'];
const SUBJECTS = Array.from({ length: 20 }, (_, i) => `S${String(10 + i * 3).padStart(3, '0')}`);
const frames = frameSequenceZip({ subjects: SUBJECTS, classes: CK_CLASSES, sequencesPerSubject: 2, framesPerSequence: 4 });
const subjectOf = (path: string) => /(S\d+)_/.exec(path)?.[1];
const subjects = (dataset: Dataset, split: 'train' | 'validation') => new Set(dataset.splits[split].map((i) => subjectOf(i.path)));

describe('group keys in file names', () => {
  it('finds CK+ subjects (S010 in S010_004_00000017.png) and not FER2013 names', () => {
    const found = evidentSubjects(['anger/S010_004_00000017.png', 'happy/S010_006_00000012.png', 'fear/S011_001_00000003.png']);
    expect(found?.keys).toEqual(['S010', 'S010', 'S011']);
    expect(evidentSubjects(['train/angry/Training_10118481.jpg', 'train/angry/Training_1021836.jpg'])).toBeNull();
    expect(evidentSubjects(['a/im0.png', 'a/im1.png', 'b/im2.png'])).toBeNull();
    expect(
      evidentSubjects(['a/S010_001_00000001.png', 'b/S011_001_00000001.png']),
      'one image per subject: grouping changes nothing',
    ).toBeNull();
  });

  it('a user pattern needs one capture group and a match; the messages say what to do', () => {
    expect(patternGroups(['x/p1-a.png', 'y/p2-b.png'], '/(p\\d+)-').keys).toEqual(['p1', 'p2']);
    expect(() => patternGroups(['a.png'], '(')).toThrow(/not a valid regular expression/);
    expect(() => patternGroups(['a.png'], 'p\\d+')).toThrow(/0 capture groups; it needs exactly one/);
    expect(() => patternGroups(['a.png'], '(p)(\\d)')).toThrow(/2 capture groups/);
    expect(() => patternGroups(['a.png', 'b.png'], '(zzz)')).toThrow(/matches none of the 2 train images' paths \(e\.g\. "a\.png"\)/);
  });
});

describe('splitting frame sequences by subject', () => {
  it('auto: no subject on both sides, every class in validation, the summary says split by subject', async () => {
    const dataset = await importDataset(archiveSource('ck.zip', frames), { validationFraction: 0.2, seed: 5 }, { decode: headerDecoder });
    const [train, validation] = [subjects(dataset, 'train'), subjects(dataset, 'validation')];
    expect([...validation].filter((s) => train.has(s))).toEqual([]);
    expect(train.size + validation.size).toBe(20);
    expect(dataset.summary.splitBy).toEqual({
      kind: 'subject',
      groups: 20,
      validationGroups: validation.size,
      validationKeys: [...validation].sort(),
    });
    const total = dataset.splits.train.length + dataset.splits.validation.length;
    expect(total).toBe(20 * 2 * 4);
    expect(dataset.splits.validation.length / total).toBeGreaterThan(0.1);
    expect(dataset.splits.validation.length / total).toBeLessThan(0.3);
    expect(dataset.summary.counts.validation.every((n) => n > 0)).toBe(true);
    expect(dataset.summary.counts.train.every((n) => n > 0)).toBe(true);
    expect(dataset.summary.warnings.join(' ')).not.toMatch(/split per image/);
  });

  it('subjects bigger than a class target (8 frames, targets of 2): still about 10% in validation, whole subjects', async () => {
    const dataset = await importDataset(archiveSource('ck.zip', frames), { validationFraction: 0.1, seed: 42 }, { decode: headerDecoder });
    const [train, validation] = [subjects(dataset, 'train'), subjects(dataset, 'validation')];
    expect([...validation].filter((s) => train.has(s))).toEqual([]);
    expect(validation.size).toBe(2);
    expect(dataset.splits.validation.length).toBe(16);
    expect(dataset.summary.splitBy).toMatchObject({ kind: 'subject', groups: 20, validationGroups: 2 });
  });

  it('the same seed gives the same subjects in validation; another seed, others', async () => {
    const split = async (seed: number) =>
      [
        ...subjects(
          await importDataset(archiveSource('ck.zip', frames), { validationFraction: 0.2, seed }, { decode: headerDecoder }),
          'validation',
        ),
      ].sort();
    expect(await split(5)).toEqual(await split(5));
    expect(await split(5)).not.toEqual(await split(6));
  });

  it('per image on subject-coded names: frames of one subject on both sides, and a warning says so', async () => {
    const dataset = await importDataset(
      archiveSource('ck.zip', frames),
      { groupBy: 'image', validationFraction: 0.2 },
      { decode: headerDecoder },
    );
    expect(dataset.summary.splitBy).toEqual({ kind: 'image' });
    const train = subjects(dataset, 'train');
    expect([...subjects(dataset, 'validation')].some((s) => train.has(s))).toBe(true);
    expect(dataset.summary.warnings.join(' ')).toMatch(
      /File names carry subjects \(S\d+ in ".*": 20 subjects\), but validation was split per image/,
    );
  });

  it('a user pattern groups by its capture group', async () => {
    const options = { groupBy: 'pattern' as const, groupPattern: '/(S\\d+)_\\d+_', validationFraction: 0.2 };
    const dataset = await importDataset(archiveSource('ck.zip', frames), options, { decode: headerDecoder });
    expect(dataset.summary.splitBy?.kind).toBe('pattern');
    const train = subjects(dataset, 'train');
    expect([...subjects(dataset, 'validation')].filter((s) => train.has(s))).toEqual([]);
  });

  it('FER2013-style names have no subjects: auto splits per image without a warning', async () => {
    const dataset = await importDataset(
      archiveSource('faces.zip', folderZip({ perClass: { all: 10 }, classes: ['a', 'b'] })),
      {},
      { decode: headerDecoder },
    );
    expect(dataset.summary.splitBy).toEqual({ kind: 'image' });
    expect(dataset.summary.warnings.join(' ')).not.toMatch(/subject/);
  });
});
