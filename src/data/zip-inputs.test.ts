/**
 * Zips made to hurt or that tools write oddly: paths that climb out or start at the root, a bomb
 * whose headers lie about its size, zips inside zips, 10,000 classes, a class of one image, and
 * names in legacy code pages. Each imports what it can and says what it did, or is refused.
 */
import { constants, deflateRawSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { importDataset } from './import-dataset.ts';
import { headerDecoder } from './testing/header-decoder.ts';
import { archiveSource, classFolders, makeZip, rawZip, tinyJpeg } from './testing/zips.ts';
import { crc32 } from './zip-names.ts';

const importZip = (bytes: Uint8Array, name = 'faces.zip', decode = headerDecoder) =>
  importDataset(archiveSource(name, bytes), { seed: 1 }, { decode });
const stored = (name: string | Uint8Array, data: Uint8Array, flags = 0) => ({ name, data, flags });

/**
 * Raw Deflate for `megabytes` MB of zeros in ~1 KB per MB: one sync-flushed 1 MB segment, which
 * only refers back within itself, repeated, then an empty final block. Built without ever holding the zeros.
 */
function zerosDeflate(megabytes: number): Uint8Array {
  const segment = deflateRawSync(Buffer.alloc(1 << 20), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const out = new Uint8Array(segment.length * megabytes + 2);
  for (let i = 0; i < megabytes; i++) out.set(segment, i * segment.length);
  out.set([0x03, 0x00], segment.length * megabytes);
  return out;
}

describe('zip entries whose paths climb out or start at the root', () => {
  it('skips "../" entries with a reason and reads "/" entries as relative, saying both', async () => {
    const zip = rawZip([
      ...Object.entries(classFolders('', ['happy', 'sad'], 2)).map(([name, data]) => stored(name, data)),
      stored('../../evil.jpg', tinyJpeg(48, 48)),
      stored('happy/../../../etc/x.jpg', tinyJpeg(48, 48)),
      stored('/sad/rooted.jpg', tinyJpeg(48, 48)),
    ]);
    const { summary } = await importZip(zip, 'paths.zip');
    expect(summary.classes).toEqual(['happy', 'sad']);
    expect(summary.counts.train[1]! + summary.counts.validation[1]!).toBe(3);
    expect(summary.skipped).toEqual([
      { path: '../../evil.jpg', reason: 'its path climbs out of the dataset folder with "../": skipped, never resolved' },
      { path: 'happy/../../../etc/x.jpg', reason: 'its path climbs out of the dataset folder with "../": skipped, never resolved' },
    ]);
    expect(summary.warnings).toContain(
      '2 entries in "paths.zip" climb out of the dataset folder with "../" (e.g. "../../evil.jpg"): skipped, never resolved. Re-create the zip from inside the dataset folder.',
    );
    expect(summary.warnings).toContain(
      '1 entry in "paths.zip" starts at the root (e.g. "/sad/rooted.jpg"): read as paths inside the dataset, without the leading "/".',
    );
  });

  it('skips a Windows "..\\" entry and strips a drive letter', async () => {
    const zip = rawZip([
      ...Object.entries(classFolders('', ['happy', 'sad'], 2)).map(([name, data]) => stored(name, data)),
      stored('..\\x.jpg', tinyJpeg(48, 48)),
      stored('C:/happy/c.jpg', tinyJpeg(48, 48)),
    ]);
    const { summary } = await importZip(zip);
    expect(summary.skipped.map((s) => s.path)).toEqual(['../x.jpg']);
    expect(summary.counts.train[0]! + summary.counts.validation[0]!).toBe(3);
  });
});

describe('a zip bomb whose headers lie', () => {
  it('stops inflating at the declared size (after one step of 16 KB), skips the entry, imports the rest', async () => {
    const bomb = zerosDeflate(4096); // 4 GiB of zeros in ~4 MB, declared as 2 KB
    const zip = rawZip([
      ...Object.entries(classFolders('', ['happy', 'sad'], 2)).map(([name, data]) => stored(name, data)),
      { name: 'happy/bomb.jpg', data: bomb, method: 8, size: 2048 },
    ]);
    const { summary } = await importZip(zip, 'bomb.zip');
    expect(summary.skipped).toEqual([
      {
        path: 'happy/bomb.jpg',
        reason: 'damaged zip entry (it inflates to more than the 2.0 KB its header declares: a zip bomb or a damaged zip; stopped there)',
      },
    ]);
    expect(summary.classes).toEqual(['happy', 'sad']);
  });

  it('refuses the bomb when it is the only file of a class, naming the folder', async () => {
    const zip = rawZip([
      ...Object.entries(classFolders('', ['happy', 'sad'], 2)).map(([name, data]) => stored(name, data)),
      { name: 'fear/bomb.jpg', data: zerosDeflate(8), method: 8, size: 100 }, // one call, not streamed: under 16 KB
    ]);
    await expect(importZip(zip, 'bomb.zip')).rejects.toThrow(/class folder "fear" in "bomb\.zip" contains no usable images/);
  });

  it('refuses a stored entry whose declared size differs from its data', async () => {
    const zip = rawZip([
      ...Object.entries(classFolders('', ['happy', 'sad'], 2)).map(([name, data]) => stored(name, data)),
      { name: 'sad/odd.jpg', data: tinyJpeg(48, 48), size: 10 },
    ]);
    const { summary } = await importZip(zip);
    expect(summary.skipped).toEqual([{ path: 'sad/odd.jpg', reason: 'damaged zip entry (stored 91 bytes, declared 10)' }]);
  });
});

describe('a zip inside a zip', () => {
  const inner = makeZip(classFolders('', ['happy', 'sad'], 3));

  it('opens the inner zip when it is the only thing inside (besides junk), and says so', async () => {
    const { summary, classes } = await importZip(makeZip({ 'fer2013.zip': inner, '__MACOSX/._fer2013.zip': 'x' }), 'download.zip');
    expect(classes).toEqual(['happy', 'sad']);
    expect(summary.name).toBe('download.zip/fer2013.zip');
    expect(summary.warnings[0]).toBe('"download.zip" holds only one zip, "fer2013.zip": the dataset was read from it.');
  });

  it('skips a zip that sits beside images, with the reason', async () => {
    const { summary } = await importZip(makeZip({ ...classFolders('', ['happy', 'sad'], 2), 'happy/more.zip': inner }));
    expect(summary.skipped).toEqual([
      {
        path: 'happy/more.zip',
        reason: 'a zip inside the dataset: not opened (only a zip holding nothing but one zip is); unzip it and add its folders instead',
      },
    ]);
  });

  it('refuses a zip of several zips, asking which', async () => {
    await expect(importZip(makeZip({ 'a.zip': inner, 'b.zip': inner }), 'two.zip')).rejects.toThrow(
      '"two.zip" holds 2 zips ("a.zip", "b.zip") and no images. Unzip it, then drop the zip you want to use (or one folder of class folders).',
    );
  });

  it('opens one level only', async () => {
    const deep = makeZip({ 'middle.zip': makeZip({ 'inner.zip': inner }) });
    await expect(importZip(deep, 'outer.zip')).rejects.toThrow(
      '"outer.zip/middle.zip" in "outer.zip" holds only another zip, "inner.zip"; zips are opened one level deep. Unzip them, then drop the folder of images.',
    );
  });
});

describe('many classes', () => {
  it('refuses 10,000 class folders before decoding any image', async () => {
    const files: Record<string, Uint8Array> = {};
    const jpeg = tinyJpeg(48, 48);
    for (let i = 0; i < 10_000; i++) files[`c${String(i).padStart(5, '0')}/a.jpg`] = jpeg;
    const decode = vi.fn(headerDecoder);
    await expect(importZip(makeZip(files), 'many.zip', decode)).rejects.toThrow(
      '"many.zip" has 10,000 class folders ("c00000", "c00001", "c00002", …); the lab trains at most 256 classes (its confusion matrix shows every pair). Check the layout: each class is one folder (angry/, happy/, …) directly inside the dataset or inside train/ and test/, not one folder per image or per person. Merge classes, or train on fewer.',
    );
    expect(decode).not.toHaveBeenCalled();
  });

  it('accepts 256 classes, the limit, and refuses 257', async () => {
    const files: Record<string, Uint8Array> = {};
    const jpeg = tinyJpeg(8, 8);
    for (let i = 0; i < 256; i++) for (const n of [0, 1]) files[`c${String(i).padStart(4, '0')}/${n}.jpg`] = jpeg;
    const { classes, splits } = await importZip(makeZip(files), 'many.zip');
    expect(classes.length).toBe(256);
    expect(splits.train.length).toBe(256);
    expect(splits.validation.length).toBe(256);
    await expect(importZip(makeZip({ ...files, 'extra/0.jpg': jpeg }), 'many.zip')).rejects.toThrow(/has 257 class folders/);
  });
});

describe('a class with a single image', () => {
  it('keeps it in train and says validation cannot measure it', async () => {
    const zip = makeZip({ ...classFolders('', ['happy', 'sad'], 5), 'fear/only.jpg': tinyJpeg(48, 48) });
    const { summary } = await importZip(zip);
    expect(summary.counts.train).toEqual([1, 4, 4]);
    expect(summary.counts.validation).toEqual([0, 1, 1]);
    expect(summary.warnings).toContain(
      '"fear" has a single image, which stays in train (a class needs 2 images to give one to validation), so the validation split cannot measure it. Add images of it.',
    );
    expect(summary.warnings.filter((w) => w.includes('"fear"'))).toHaveLength(1);
  });

  it('imports classes of one image each, saying why there is no validation', async () => {
    const { summary } = await importZip(makeZip(classFolders('', ['happy', 'sad'], 1)));
    expect(summary.counts.train).toEqual([1, 1]);
    expect(summary.counts.validation).toEqual([0, 0]);
    expect(summary.warnings).toContain(
      'No validation images: every class has a single image, which training needs. Add images (at least 2 per class) to measure progress while training.',
    );
  });
});

describe('file names not in UTF-8', () => {
  const jpeg = tinyJpeg(48, 48);
  const latin = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

  it('reads CP437 names (Windows Explorer, US and Western Europe) as CP437, and says so', async () => {
    // "Ärger/1.jpg" and "Überraschung/1.jpg" in CP437: Ä = 0x8E, Ü = 0x9A
    const zip = rawZip([stored(latin('\x8Erger/1.jpg'), jpeg), stored(latin('\x9Aberraschung/1.jpg'), jpeg)]);
    const { classes, summary } = await importZip(zip, 'de.zip');
    expect(classes).toEqual(['Ärger', 'Überraschung']);
    expect(summary.warnings[0]).toBe(
      'File names in "de.zip" are not marked as UTF-8; they were read as CP437 (the zip default, as Windows writes it). If class names look wrong, re-create the zip with UTF-8 names (7-Zip, or Windows 11 Explorer).',
    );
  });

  it('reads Shift_JIS names (Japanese Windows) as Shift_JIS', async () => {
    // 怒り = 93 7B 82 E8, 喜び = 8A EC 82 D1
    const zip = rawZip([
      stored(Uint8Array.from([0x93, 0x7b, 0x82, 0xe8, ...latin('/1.jpg')]), jpeg),
      stored(Uint8Array.from([0x8a, 0xec, 0x82, 0xd1, ...latin('/1.jpg')]), jpeg),
    ]);
    const { classes, summary } = await importZip(zip, 'ja.zip');
    expect(classes).toEqual(['喜び', '怒り']);
    expect(summary.warnings[0]).toMatch(/read as Shift_JIS \(Japanese Windows\)/);
  });

  it('reads unflagged UTF-8 (macOS Archive Utility) as UTF-8, decomposed accents composed, without a warning', async () => {
    const zip = rawZip([stored('col\u00e8re/1.jpg', jpeg), stored('cole\u0300re/2.jpg', jpeg), stored('joie/1.jpg', jpeg)]);
    const { classes, summary } = await importZip(zip);
    expect(classes).toEqual(['colère', 'joie']);
    expect(summary.warnings.some((w) => w.includes('UTF-8'))).toBe(false);
  });

  it("prefers Info-ZIP's Unicode Path field when its CRC matches the name", async () => {
    const legacy = latin('?rger/1.jpg');
    const unicode = new TextEncoder().encode('Ärger/1.jpg');
    const field = (crc: number) => {
      const f = new Uint8Array(9 + unicode.length);
      const view = new DataView(f.buffer);
      view.setUint16(0, 0x7075, true);
      view.setUint16(2, 5 + unicode.length, true);
      f[4] = 1;
      view.setUint32(5, crc, true);
      f.set(unicode, 9);
      return f;
    };
    const zip = rawZip([
      { name: legacy, data: jpeg, extra: field(crc32(legacy)) },
      { name: latin('joy/1.jpg'), data: jpeg, extra: field(crc32(legacy) ^ 1) },
    ]);
    const { classes } = await importZip(zip);
    expect(classes).toEqual(['joy', 'Ärger'].sort());
  });
});
