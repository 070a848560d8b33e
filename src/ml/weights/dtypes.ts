/**
 * Little-endian tensor bytes → float32, for the dtypes weight files hold: float32, float16 and
 * bfloat16 (converted exactly), float64 (rounded), and integers (num_batches_tracked, optimizer
 * steps). Shared by the .safetensors and PyTorch readers.
 */

export type WeightDtype = 'float32' | 'float16' | 'bfloat16' | 'float64' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

/** Bytes per element of each dtype. */
export const DTYPE_BYTES: Readonly<Record<WeightDtype, number>> = {
  float32: 4,
  float16: 2,
  bfloat16: 2,
  float64: 8,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
};

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** `count` little-endian values of `dtype` at the start of `view`, as float32. */
export function decodeToFloat32(dtype: WeightDtype, view: DataView, count: number): Float32Array {
  const out = new Float32Array(count);
  switch (dtype) {
    case 'float32':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
      break;
    case 'float16':
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
      break;
    case 'bfloat16': {
      // bfloat16 is the top half of a float32.
      const word = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < count; i++) {
        word.setUint32(0, view.getUint16(i * 2, true) << 16, false);
        out[i] = word.getFloat32(0, false);
      }
      break;
    }
    case 'float64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
      break;
    case 'int64':
      for (let i = 0; i < count; i++) out[i] = Number(view.getBigInt64(i * 8, true));
      break;
    case 'int32':
      for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4, true);
      break;
    case 'int16':
      for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, true);
      break;
    case 'int8':
      for (let i = 0; i < count; i++) out[i] = view.getInt8(i);
      break;
    case 'uint8':
    case 'bool':
      for (let i = 0; i < count; i++) out[i] = view.getUint8(i);
      break;
  }
  return out;
}
