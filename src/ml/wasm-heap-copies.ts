/**
 * Plain-JS copies over the wasm heap for the composed conv gradients: the wasm backend's own
 * Reverse, StridedSlice, Transpose and DepthToSpace are scalar loops that took 3-10x longer than
 * the convolutions they fed (Reverse of a 3x3x512x512 filter: ~120 ms; Transpose of a
 * [16, 16, 16, 256] activation: ~23 ms against ~4 ms here).
 */

/** Filter geometry of a conv2d: [KH, KW, Ci, Co] and its stride (equal on both axes). */
export interface FilterGeometry {
  readonly kh: number;
  readonly kw: number;
  readonly ci: number;
  readonly co: number;
  readonly stride: number;
}

/** Taps of one axis in phase `r`: k = r, r + s, ... < K. */
export function phaseTapCount(kernel: number, stride: number, r: number): number {
  return r < kernel ? Math.ceil((kernel - r) / stride) : 0;
}

const BLOCK = 32;

/**
 * Writes phase (rH, rW)'s taps of `filter` [KH, KW, Ci, Co], rotated 180° and with in/out channels
 * swapped, into `target` [tH, tW, Co, Ci]: target[m, n, o, i] = filter[rH + s(tH-1-m), rW + s(tW-1-n), i, o].
 * The Ci x Co transpose goes in 32x32 blocks so both sides stay in cache.
 */
export function writePhaseTaps(filter: Float32Array, g: FilterGeometry, rH: number, rW: number, target: Float32Array): void {
  const tH = phaseTapCount(g.kh, g.stride, rH);
  const tW = phaseTapCount(g.kw, g.stride, rW);
  const plane = g.ci * g.co;
  for (let m = 0; m < tH; m++)
    for (let n = 0; n < tW; n++) {
      const src = ((rH + g.stride * (tH - 1 - m)) * g.kw + rW + g.stride * (tW - 1 - n)) * plane;
      const dst = (m * tW + n) * plane;
      for (let i0 = 0; i0 < g.ci; i0 += BLOCK)
        for (let o0 = 0; o0 < g.co; o0 += BLOCK) {
          const iEnd = Math.min(i0 + BLOCK, g.ci);
          const oEnd = Math.min(o0 + BLOCK, g.co);
          for (let o = o0; o < oEnd; o++) {
            const row = dst + o * g.ci;
            for (let i = i0; i < iEnd; i++) target[row + i] = filter[src + i * g.co + o] as number;
          }
        }
    }
}

/** Where one phase's rows and columns land in dx: dx index = stride * q + offset, q in [0, count). */
export interface PhasePlacement {
  readonly batch: number;
  readonly channels: number;
  readonly stride: number;
  readonly rows: { readonly count: number; readonly offset: number; readonly size: number };
  readonly cols: { readonly count: number; readonly offset: number; readonly size: number };
}

/**
 * Copies `phase` [B, rows.count, cols.count, C] into `dx` [B, rows.size, cols.size, C] at
 * dx[b, s*q + rows.offset, s*p + cols.offset, :], skipping what falls outside dx.
 */
export function scatterPhase(phase: Float32Array, p: PhasePlacement, dx: Float32Array): void {
  const { batch, channels: c, stride: s, rows, cols } = p;
  for (let b = 0; b < batch; b++)
    for (let q = 0; q < rows.count; q++) {
      const h = s * q + rows.offset;
      if (h < 0 || h >= rows.size) continue;
      for (let k = 0; k < cols.count; k++) {
        const w = s * k + cols.offset;
        if (w < 0 || w >= cols.size) continue;
        const from = ((b * rows.count + q) * cols.count + k) * c;
        dx.set(phase.subarray(from, from + c), ((b * rows.size + h) * cols.size + w) * c);
      }
    }
}

/**
 * out[c, m, a] = x[a, m, c] for x [A, M, C]: the (a, c) planes are transposed in 32x32 blocks so
 * reads and writes both stay in cache. M = 1 is a plain matrix transpose.
 */
export function transposeOuterInner(x: Float32Array, a: number, m: number, c: number, out: Float32Array): void {
  const rowIn = m * c;
  const rowOut = m * a;
  for (let k = 0; k < m; k++)
    for (let a0 = 0; a0 < a; a0 += BLOCK)
      for (let c0 = 0; c0 < c; c0 += BLOCK) {
        const aEnd = Math.min(a0 + BLOCK, a);
        const cEnd = Math.min(c0 + BLOCK, c);
        for (let j = c0; j < cEnd; j++) {
          const to = j * rowOut + k * a;
          for (let i = a0; i < aEnd; i++) out[to + i] = x[i * rowIn + k * c + j] as number;
        }
      }
}

/** out[m, a, :] = x[a, m, :] for x [A, M, C]: C-long runs move whole. */
export function swapOuter(x: Float32Array, a: number, m: number, c: number, out: Float32Array): void {
  for (let i = 0; i < a; i++)
    for (let k = 0; k < m; k++) {
      const from = (i * m + k) * c;
      out.set(x.subarray(from, from + c), (k * a + i) * c);
    }
}
