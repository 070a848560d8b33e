/**
 * Reads a FER2013-style CSV (`emotion,pixels,Usage`, 48×48 = 2304 space-separated gray values)
 * straight from bytes into 1-channel images, with no string copy of the whole file.
 * Bad rows are skipped and listed with their row number (header = row 1, as a spreadsheet shows);
 * only a wrong header or a file where every row is bad is an error.
 */
import type { SkippedFile, SplitName } from '../shared/types.ts';
import type { CollectedImages, LabelledImage } from './assemble.ts';
import type { ImportProgress } from './progress.ts';
import { parsePixels, splitFields } from './csv-row.ts';

/** FER2013's label order: label 0 is angry, …, 6 is neutral. */
export const FER2013_CLASSES: readonly string[] = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'];
/** FER2013 images are 48×48. */
export const FER2013_SIDE = 48;
const PIXEL_COUNT = FER2013_SIDE * FER2013_SIDE;
const MAX_LISTED_ROWS = 20;
/** Bad rows whose reasons the warning quotes. */
const MAX_EXAMPLES = 3;
const USAGE_SPLITS: Readonly<Record<string, SplitName>> = { training: 'train', publictest: 'validation', privatetest: 'test' };
const FORMAT_HINT =
  'Each row needs emotion (an integer 0–6), pixels (2304 space-separated values 0–255 for a 48×48 image) and Usage (Training, PublicTest or PrivateTest).';
const utf8 = new TextDecoder('utf-8');

function lineEnd(bytes: Uint8Array, from: number): number {
  const at = bytes.indexOf(10, from);
  return at < 0 ? bytes.length : at;
}

function readHeader(bytes: Uint8Array, name: string): { columns: string[]; dataStart: number } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new Error(
      `"${name}" is UTF-16 text (as Excel's "Unicode Text" saves it); the lab reads UTF-8. Save it as "CSV UTF-8" (or plain CSV) and drop it again.`,
    );
  }
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const end = lineEnd(bytes, start);
  const columns = utf8
    .decode(bytes.subarray(start, Math.min(end, start + 4096)))
    .split(',')
    .map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase());
  const missing = ['emotion', 'pixels'].filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    const semicolons = columns.length === 1 && (columns[0] ?? '').includes(';');
    throw new Error(
      (semicolons ? `"${name}" is separated by semicolons, as Excel saves CSV in some countries; FER2013 uses commas. ` : '') +
        `"${name}" is missing the column${missing.length > 1 ? 's' : ''} ${missing.join(' and ')} in its header (row 1 reads "${columns.join(',').slice(0, 60)}").` +
        ` The first row must be the header "emotion,pixels,Usage" as in FER2013. ${FORMAT_HINT}`,
    );
  }
  return { columns, dataStart: end + 1 };
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

function listRows(rows: readonly SkippedFile[]): string {
  const shown = rows.slice(0, MAX_LISTED_ROWS).map((r) => r.path.replace('csv:row ', ''));
  return `${shown.join(', ')}${rows.length > MAX_LISTED_ROWS ? ` and ${rows.length - MAX_LISTED_ROWS} more` : ''}`;
}

/** Parses a FER2013-style CSV into labelled 48×48 gray images. Throws on a bad header or when no row is usable. */
export async function readFer2013Csv(bytes: Uint8Array, name: string, progress: ImportProgress): Promise<CollectedImages> {
  const { columns, dataStart } = readHeader(bytes, name);
  const emotionAt = columns.indexOf('emotion');
  const pixelsAt = columns.indexOf('pixels');
  const usageAt = columns.indexOf('usage');
  const needed = Math.max(emotionAt, pixelsAt, usageAt) + 1;
  let dataRows = dataStart < bytes.length && bytes[bytes.length - 1] !== 10 ? 1 : 0;
  for (let at = bytes.indexOf(10, dataStart); at >= 0; at = bytes.indexOf(10, at + 1)) dataRows++;

  const images: LabelledImage[] = [];
  const bad: SkippedFile[] = [];
  const splitsPresent = new Set<SplitName>();
  let row = 1;
  for (let start = dataStart; start < bytes.length;) {
    const end = lineEnd(bytes, start);
    row++;
    const fields = splitFields(bytes, start, end);
    start = end + 1;
    if (row % 512 === 0) {
      progress.report(row - 1, dataRows, 'decoding');
      await progress.checkpoint();
    }
    if (fields.length === 1 && fields[0]?.[0] === fields[0]?.[1]) continue;
    const path = `csv:row ${row}`;
    const fail = (reason: string): void => void bad.push({ path, reason });
    if (fields.length < needed) {
      fail(`has ${fields.length} column${fields.length === 1 ? '' : 's'}, expected ${columns.length}`);
      continue;
    }
    const [labelStart, labelEnd] = fields[emotionAt] as [number, number];
    const labelText = utf8.decode(bytes.subarray(labelStart, labelEnd));
    const label = /^\d+$/.test(labelText) ? Number(labelText) : NaN;
    const className = FER2013_CLASSES[label];
    if (className === undefined) {
      fail(`emotion label "${labelText.slice(0, 20)}" is not an integer 0–6`);
      continue;
    }
    let split: SplitName = 'train';
    if (usageAt >= 0) {
      const [usageStart, usageEnd] = fields[usageAt] as [number, number];
      const usage = utf8.decode(bytes.subarray(usageStart, usageEnd));
      const mapped = USAGE_SPLITS[usage.toLowerCase()];
      if (mapped === undefined) {
        fail(`Usage "${usage.slice(0, 20)}" is not Training, PublicTest or PrivateTest`);
        continue;
      }
      split = mapped;
    }
    const [pixelStart, pixelEnd] = fields[pixelsAt] as [number, number];
    const parsed = parsePixels(bytes, pixelStart, pixelEnd, PIXEL_COUNT);
    if (typeof parsed === 'string') {
      fail(parsed);
      continue;
    }
    splitsPresent.add(split);
    images.push({ split, className, path, image: { width: FER2013_SIDE, height: FER2013_SIDE, channels: 1, pixels: parsed } });
  }
  progress.report(dataRows, dataRows, 'decoding');

  if (images.length === 0) {
    if (bad.length === 0) throw new Error(`"${name}" has a header but no data rows. ${FORMAT_HINT}`);
    throw new Error(
      `None of the ${bad.length} data rows in "${name}" could be read (rows ${listRows(bad)}; row ${listRows(bad.slice(0, 1))}: ${bad[0]?.reason}). ${FORMAT_HINT}`,
    );
  }
  const warnings: string[] = [];
  if (bad.length > 0) {
    const examples = bad.slice(0, MAX_EXAMPLES).map((r) => `${r.path.replace('csv:row', 'row')}: ${r.reason}`);
    warnings.push(
      `Skipped ${bad.length} bad row${bad.length > 1 ? 's' : ''} of "${name}": ${listRows(bad)}. ${capitalise(examples.join('; '))}.` +
        ' Each is listed with its reason under skipped files.',
    );
  }
  if (usageAt < 0) warnings.push(`"${name}" has no Usage column: every row is used for training, with validation carved from it.`);
  return { name, format: 'csv', images, classFolders: new Map(), splitsPresent, skipped: bad, warnings, fixedClassOrder: FER2013_CLASSES };
}
