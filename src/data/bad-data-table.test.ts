/**
 * The dataset rows of README's table of bad inputs that are not refusals through the worker
 * (src/worker/bad-inputs.test.ts has those): each case imports a small dataset and gives the
 * message a user sees (the warning, the skip reason, or the error), which must be the README's.
 */
import { constants, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { differencesFromReadme } from '../../tests/bad-inputs-table.ts';
import type { DatasetSummary } from '../shared/types.ts';
import { importDataset } from './import-dataset.ts';
import { headerDecoder } from './testing/header-decoder.ts';
import { archiveSource, classFolders, makeZip, patchCentralDirectory, rawZip, tinyJpeg, tinyPng } from './testing/zips.ts';

const THIS_FILE = 'src/data/bad-data-table.test.ts';
const jpeg = tinyJpeg(48, 48);
const twoClasses = () => classFolders('', ['happy', 'sad'], 3);
const stored = (entries: Record<string, Uint8Array>) => Object.entries(entries).map(([name, data]) => ({ name, data }));
const latin = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

async function summaryOf(name: string, bytes: Uint8Array): Promise<DatasetSummary> {
  return (await importDataset(archiveSource(name, bytes), { seed: 1 }, { decode: headerDecoder })).summary;
}
async function warningOf(name: string, bytes: Uint8Array, containing: string): Promise<string> {
  const { warnings } = await summaryOf(name, bytes);
  return warnings.find((w) => w.includes(containing)) ?? `no warning containing "${containing}" among: ${warnings.join(' / ')}`;
}
async function skipReasonOf(name: string, bytes: Uint8Array, path: string): Promise<string> {
  const { skipped } = await summaryOf(name, bytes);
  return skipped.find((s) => s.path === path)?.reason ?? `"${path}" was not skipped`;
}
async function errorOf(run: Promise<unknown>): Promise<string> {
  try {
    await run;
    return 'imported without an error';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
const csv = (lines: readonly string[], eol = '\n') => new TextEncoder().encode(lines.join(eol));
const pixels = (count = 2304) => Array.from({ length: count }, (_, i) => i % 256).join(' ');
const csvRows = (usage: string) => Array.from({ length: 14 }, (_, i) => `${i % 7},${pixels()},${usage}`);
function zeros(megabytes: number): Uint8Array {
  const segment = deflateRawSync(Buffer.alloc(1 << 20), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const out = new Uint8Array(segment.length * megabytes + 2);
  for (let i = 0; i < megabytes; i++) out.set(segment, i * segment.length);
  out.set([0x03, 0x00], segment.length * megabytes);
  return out;
}

/** Input (the README row's first cell) → the message a user sees for it ('' when it simply works). */
const CASES: Readonly<Record<string, () => Promise<string>>> = {
  'a zip entry that climbs out of its folder ("../../x.png")': () =>
    warningOf('paths.zip', rawZip(stored({ ...twoClasses(), '../../x.png': tinyPng(48, 48) })), 'climb'),
  'a zip entry that starts at the root ("/x.png")': () =>
    warningOf('paths.zip', rawZip(stored({ ...twoClasses(), '/happy/x.png': tinyPng(48, 48) })), 'root'),
  'a zip bomb whose headers lie about its size': () =>
    skipReasonOf(
      'bomb.zip',
      rawZip([...stored(twoClasses()), { name: 'happy/bomb.jpg', data: zeros(1024), method: 8, size: 2048 }]),
      'happy/bomb.jpg',
    ),
  'a single zip entry over 1 GiB': () =>
    errorOf(
      summaryOf(
        'faces.zip',
        patchCentralDirectory(makeZip({ 'happy/x.jpg': jpeg }), (view, at) => view.setUint32(at + 24, 0x60000000, true)),
      ),
    ),
  'a zip holding only one zip (and junk)': () =>
    warningOf('download.zip', makeZip({ 'fer2013.zip': makeZip(twoClasses()), '__MACOSX/._fer2013.zip': 'x' }), 'only one zip'),
  'a zip inside a zip, beside images': () =>
    skipReasonOf('faces.zip', makeZip({ ...twoClasses(), 'happy/more.zip': makeZip(twoClasses()) }), 'happy/more.zip'),
  'a class folder holding only junk': () =>
    errorOf(summaryOf('faces.zip', makeZip({ ...twoClasses(), 'fear/.DS_Store': 'x', 'fear/notes.txt': 'x' }))),
  'one class with a single image': () =>
    warningOf('faces.zip', makeZip({ ...classFolders('', ['happy', 'sad'], 5), 'fear/only.jpg': jpeg }), 'single image'),
  'every class with a single image': () => warningOf('faces.zip', makeZip(classFolders('', ['happy', 'sad'], 1)), 'single image'),
  'file names in CP437 without the UTF-8 flag (Windows Explorer)': () =>
    warningOf(
      'de.zip',
      rawZip([
        { name: latin('\x8Erger/1.jpg'), data: jpeg },
        { name: latin('Freude/1.jpg'), data: jpeg },
      ]),
      'UTF-8',
    ),
  'file names in Shift_JIS without the UTF-8 flag (Japanese Windows)': () =>
    warningOf(
      'ja.zip',
      rawZip([
        { name: Uint8Array.from([0x93, 0x7b, 0x82, 0xe8, ...latin('/1.jpg')]), data: jpeg },
        { name: Uint8Array.from([0x8a, 0xec, 0x82, 0xd1, ...latin('/1.jpg')]), data: jpeg },
      ]),
      'UTF-8',
    ),
  'file names in UTF-8 without the flag, accents decomposed (macOS)': async () => {
    const { classes, warnings } = await summaryOf('fr.zip', rawZip(stored({ 'cole\u0300re/1.jpg': jpeg, 'joie/1.jpg': jpeg })));
    return classes.join() === 'colère,joie' && !warnings.some((w) => w.includes('UTF-8')) ? '' : `classes ${classes.join()}`;
  },
  'an image of 20,000 x 20,000 pixels': () =>
    skipReasonOf('faces.zip', makeZip({ ...twoClasses(), 'sad/huge.png': tinyPng(20_000, 20_000) }), 'sad/huge.png'),
  'an animated GIF, WebP or PNG': () => warningOf('faces.zip', makeZip({ ...twoClasses(), 'happy/wave.gif': animatedGif() }), 'animated'),
  'a truncated JPEG': () =>
    skipReasonOf('faces.zip', makeZip({ ...twoClasses(), 'happy/cut.jpg': tinyJpeg(48, 48, { truncated: true }) }), 'happy/cut.jpg'),
  'a truncated PNG': () =>
    skipReasonOf('faces.zip', makeZip({ ...twoClasses(), 'sad/cut.png': tinyPng(48, 48).subarray(0, 30) }), 'sad/cut.png'),
  'an SVG renamed .png': () =>
    skipReasonOf(
      'faces.zip',
      makeZip({ ...twoClasses(), 'happy/drawing.png': '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>' }),
      'happy/drawing.png',
    ),
  'a text file renamed .jpg': () => skipReasonOf('faces.zip', makeZip({ ...twoClasses(), 'sad/notes.jpg': 'hello' }), 'sad/notes.jpg'),
  'a class missing from the train split': () =>
    warningOf(
      'split.zip',
      makeZip({ ...classFolders('train/', ['happy', 'sad'], 3), ...classFolders('test/', ['angry', 'happy'], 1) }),
      'train split',
    ),
  'running out of memory while decoding': () =>
    errorOf(
      importDataset(
        archiveSource('faces.zip', makeZip({ 'happy/a.jpg': jpeg, 'sad/b.jpg': jpeg })),
        {},
        {
          decode: () => Promise.reject(new RangeError('Array buffer allocation failed')),
        },
      ),
    ),
  'FER2013 CSV rows with wrong pixel counts or labels that are not numbers': () =>
    warningOf(
      'fer.csv',
      csv([
        'emotion,pixels,Usage',
        ...csvRows('Training'),
        `3,${pixels(2303)},Training`,
        `happy,${pixels()},Training`,
        `4,${pixels(2305)},Training`,
      ]),
      'bad rows',
    ),
  'a FER2013 CSV with CRLF line ends and a UTF-8 BOM': async () => {
    const bytes = csv(['\uFEFFemotion,pixels,Usage', ...csvRows('Training')], '\r\n');
    const { skipped, classes } = await summaryOf('fer.csv', bytes);
    return skipped.length === 0 && classes.length === 7 ? '' : `skipped ${JSON.stringify(skipped)}`;
  },
};

/** A two-frame GIF (header decoder reads only its size). */
function animatedGif(): Uint8Array {
  const frame = [0x2c, 0, 0, 0, 0, 4, 0, 4, 0, 0, 2, 2, 0x4c, 0x01, 0];
  return new Uint8Array([...latin('GIF89a'), 4, 0, 4, 0, 0, 0, 0, ...frame, ...frame, 0x3b]);
}

describe("README's table of bad inputs: dataset rows", () => {
  const messages = new Map<string, string>();
  for (const [input, run] of Object.entries(CASES)) {
    it(input, async () => {
      const message = await run();
      messages.set(input, message);
      expect(message).not.toMatch(/^(no warning containing|imported without an error|".*" was not skipped)/);
    });
  }

  it('the README quotes each of these messages as the code gives it', () => {
    expect(messages.size).toBe(Object.keys(CASES).length);
    expect(differencesFromReadme(THIS_FILE, messages)).toEqual([]);
  });
});
