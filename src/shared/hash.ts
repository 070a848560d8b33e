/**
 * FNV-1a (32-bit) of a string's UTF-16 code units or of a typed array's bytes: a tiny,
 * well-known hash for deriving independent seeds from names and for comparing buffers
 * without shipping them. Not cryptographic.
 */
export function fnv1a(input: string | ArrayBufferView): number {
  let hash = 0x811c9dc5;
  if (typeof input === 'string') {
    for (let i = 0; i < input.length; i++) hash = Math.imul(hash ^ input.charCodeAt(i), 0x01000193);
  } else {
    const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193);
  }
  return hash >>> 0;
}
