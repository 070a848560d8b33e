/** Byte-level helpers for one CSV row; no strings are built for the 2304 pixel values. */

const COMMA = 44;
const QUOTE = 34;
const SPACE = 32;
const TAB = 9;
const CR = 13;

/**
 * Field boundaries `[start, end)` of the row `bytes[start, end)`, split on commas,
 * with a trailing CR and surrounding spaces or double quotes trimmed from each field.
 * Fields are FER2013-simple: no commas inside quotes.
 */
export function splitFields(bytes: Uint8Array, start: number, end: number): [number, number][] {
  if (end > start && bytes[end - 1] === CR) end--;
  const fields: [number, number][] = [];
  let fieldStart = start;
  for (;;) {
    // Search only this row, so a row without commas cannot make the search run to the end of the file.
    const comma = bytes.subarray(fieldStart, end).indexOf(COMMA);
    const i = comma < 0 ? end : fieldStart + comma;
    let a = fieldStart;
    let b = i;
    while (a < b && (bytes[a] === SPACE || bytes[a] === TAB)) a++;
    while (b > a && (bytes[b - 1] === SPACE || bytes[b - 1] === TAB)) b--;
    if (b - a >= 2 && bytes[a] === QUOTE && bytes[b - 1] === QUOTE) {
      a++;
      b--;
    }
    fields.push([a, b]);
    if (i === end) return fields;
    fieldStart = i + 1;
  }
}

/**
 * Parses space-separated integers 0–255 from `bytes[start, end)` into a new Uint8Array of
 * `expected` values. Returns the pixels, or a reason string (for the skipped list) when a value is
 * not a number in range or the count differs from `expected`.
 */
export function parsePixels(bytes: Uint8Array, start: number, end: number, expected: number): Uint8Array | string {
  const pixels = new Uint8Array(expected);
  let count = 0;
  let value = -1;
  for (let i = start; i <= end; i++) {
    const c = i < end ? (bytes[i] as number) : SPACE;
    if (c >= 48 && c <= 57) {
      value = value < 0 ? c - 48 : value * 10 + (c - 48);
      if (value > 255) return `pixel value ${count + 1} is over 255`;
    } else if (c === SPACE || c === TAB) {
      if (value >= 0) {
        if (count < expected) pixels[count] = value;
        count++;
        value = -1;
      }
    } else {
      return `pixel value ${count + 1} is not a whole number 0–255 (found "${String.fromCharCode(c)}")`;
    }
  }
  if (count !== expected) return `expected ${expected} pixel values (48×48), got ${count}`;
  return pixels;
}
