/**
 * Decodes the file names of a zip's entries. Names are UTF-8 when an entry says so (general
 * purpose flag bit 11) or carries Info-ZIP's Unicode Path field (0x7075); without either, a name
 * is in whatever code page the zipping machine used: UTF-8 on macOS and Linux, the OEM code page on
 * Windows (CP437 in the US, which is also the zip format's default; Shift_JIS, code page 932, in
 * Japan). Names are decided per zip, so one archive never mixes guesses.
 */

/** How the names without a UTF-8 mark were read. */
export type ZipNameEncoding = 'utf-8' | 'shift_jis' | 'cp437';

/** A name as the central directory stores it. */
export interface RawZipName {
  readonly bytes: Uint8Array;
  /** Flag bit 11: the name is UTF-8. */
  readonly utf8Flag: boolean;
  /** The name from an Info-ZIP Unicode Path extra field whose CRC matches `bytes`, if any. */
  readonly unicodePath?: string;
}

// CP437's upper half (0x80–0xFF), as the zip specification's default code page.
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀' +
  'αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

function decodeCp437(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += byte < 0x80 ? String.fromCharCode(byte) : (CP437_HIGH[byte - 0x80] ?? '?');
  return text;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function tryDecode(decoder: TextDecoder, bytes: Uint8Array): string | null {
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

const KANA = /[\u3040-\u30ff]/;
const TWO_WIDE = /[\u3000-\u303f\u4e00-\u9fff\uff01-\uff60]{2}/;
const HALFWIDTH_KATAKANA = /[\uff61-\uff9f]/;

/**
 * Shift_JIS when every name decodes as it and the result reads as Japanese: kana, or two wide
 * characters in a row somewhere, and no half-width katakana (which is what CP437's accented
 * letters and box drawing become). A lone accented letter in CP437 ("Ärger") also decodes as one
 * kanji, so a single wide character between ASCII letters is not enough.
 */
function readsAsShiftJis(names: readonly Uint8Array[]): string[] | null {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder('shift_jis', { fatal: true });
  } catch {
    return null;
  }
  const decoded: string[] = [];
  for (const bytes of names) {
    const text = tryDecode(decoder, bytes);
    if (text === null || HALFWIDTH_KATAKANA.test(text)) return null;
    decoded.push(text);
  }
  return decoded.some((text) => KANA.test(text) || TWO_WIDE.test(text)) ? decoded : null;
}

/**
 * Decodes every name of one zip, NFC-normalised (macOS writes decomposed accents, so "é" from a Mac
 * and "é" typed elsewhere make the same class). `legacy` says how names without a UTF-8 mark that
 * are not valid UTF-8 were read (null when there were none).
 */
export function decodeZipNames(raw: readonly RawZipName[]): { names: string[]; legacy: Exclude<ZipNameEncoding, 'utf-8'> | null } {
  const names: (string | null)[] = raw.map((entry) => {
    if (entry.unicodePath !== undefined) return entry.unicodePath;
    if (entry.utf8Flag) return new TextDecoder('utf-8').decode(entry.bytes);
    return tryDecode(strictUtf8, entry.bytes);
  });
  const undecided = raw.filter((_, i) => names[i] === null).map((entry) => entry.bytes);
  let legacy: Exclude<ZipNameEncoding, 'utf-8'> | null = null;
  if (undecided.length > 0) {
    const shiftJis = readsAsShiftJis(undecided);
    legacy = shiftJis ? 'shift_jis' : 'cp437';
    let next = 0;
    for (let i = 0; i < names.length; i++) {
      if (names[i] !== null) continue;
      const bytes = undecided[next] as Uint8Array;
      names[i] = shiftJis ? (shiftJis[next] as string) : decodeCp437(bytes);
      next++;
    }
  }
  return { names: names.map((name) => (name ?? '').normalize('NFC')), legacy };
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (the zip polynomial), to check an Info-ZIP Unicode Path field against the name it replaces. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (crcTable[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** The UTF-8 name of an Info-ZIP Unicode Path extra field (0x7075) in `extra`, if present and matching `nameBytes`. */
export function unicodePathOf(extra: Uint8Array, nameBytes: Uint8Array): string | undefined {
  const view = new DataView(extra.buffer, extra.byteOffset, extra.byteLength);
  for (let p = 0; p + 4 <= extra.length;) {
    const id = view.getUint16(p, true);
    const size = view.getUint16(p + 2, true);
    if (id === 0x7075 && size >= 5 && p + 4 + size <= extra.length && extra[p + 4] === 1) {
      if (view.getUint32(p + 5, true) !== crc32(nameBytes)) return undefined;
      return tryDecode(strictUtf8, extra.subarray(p + 9, p + 4 + size)) ?? undefined;
    }
    p += 4 + size;
  }
  return undefined;
}
