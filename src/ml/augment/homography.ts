/**
 * 3×3 projective transforms on pixel coordinates (x right, y down, pixel centres at integers,
 * the convention of `tf.image.transform`), used to compose flip, rotation and perspective into
 * one output→input map per image.
 */

/** Row-major 3×3 matrix acting on column vectors [x, y, 1]. */
export type Matrix3 = readonly [number, number, number, number, number, number, number, number, number];
export type Point = readonly [number, number];

export const IDENTITY: Matrix3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/** a·b: applying the result equals applying b first, then a. */
export function multiply(a: Matrix3, b: Matrix3): Matrix3 {
  const out: number[] = [];
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) out.push(a[r * 3]! * b[c]! + a[r * 3 + 1]! * b[3 + c]! + a[r * 3 + 2]! * b[6 + c]!);
  }
  return out as unknown as Matrix3;
}

/** Maps a point through m (with the projective division). */
export function apply(m: Matrix3, [x, y]: Point): Point {
  const k = m[6] * x + m[7] * y + m[8];
  return [(m[0] * x + m[1] * y + m[2]) / k, (m[3] * x + m[4] * y + m[5]) / k];
}

/** Output→input map of a horizontal flip of an image `width` pixels wide: x_in = width − 1 − x. */
export function flipMatrix(width: number): Matrix3 {
  return [-1, 0, width - 1, 0, 1, 0, 0, 0, 1];
}

/**
 * Output→input map of a rotation by `degrees` counter-clockwise as displayed (torchvision's sign),
 * about the image centre ((w−1)/2, (h−1)/2).
 */
export function rotationMatrix(degrees: number, width: number, height: number): Matrix3 {
  const a = (degrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  // input = c + [[cos, −sin], [sin, cos]]·(output − c)
  return [cos, -sin, cx - cos * cx + sin * cy, sin, cos, cy - sin * cx - cos * cy, 0, 0, 1];
}

/**
 * The homography H with H·from[i] ∝ to[i] for four point pairs (no three collinear), solved as
 * torchvision's `_get_perspective_coeffs` does: 8 unknowns, H[2][2] = 1, Gaussian elimination in float64.
 */
export function solveHomography(from: readonly Point[], to: readonly Point[]): Matrix3 {
  if (from.length !== 4 || to.length !== 4) throw new Error('a homography needs exactly 4 point pairs');
  const rows: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i] as Point;
    const [u, v] = to[i] as Point;
    rows.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    rows.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let r = col + 1; r < 8; r++) if (Math.abs(rows[r]![col]!) > Math.abs(rows[pivot]![col]!)) pivot = r;
    if (Math.abs(rows[pivot]![col]!) < 1e-12) throw new Error('degenerate point configuration');
    [rows[col], rows[pivot]] = [rows[pivot]!, rows[col]!];
    const p = rows[col]!;
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const row = rows[r]!;
      const f = row[col]! / p[col]!;
      for (let c = col; c < 9; c++) row[c] = row[c]! - f * p[c]!;
    }
  }
  const h = rows.map((row, i) => row[8]! / row[i]!);
  return [h[0]!, h[1]!, h[2]!, h[3]!, h[4]!, h[5]!, h[6]!, h[7]!, 1];
}

/** `tf.image.transform`'s 8 numbers [a0, a1, a2, b0, b1, b2, c0, c1] (m normalised so m[8] = 1). */
export function toTransformVector(m: Matrix3): number[] {
  return m.slice(0, 8).map((v) => v / m[8]);
}
