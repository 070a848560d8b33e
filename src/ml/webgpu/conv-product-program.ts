/**
 * A convolution's matrix products as one tiled WGSL program for tfjs-backend-webgpu, with im2col
 * implicit (the column matrix is never built): A[p, k] = x[n, oh·sh + kh − padTop, ow·sw + kw − padLeft, ci]
 * for pixel p = (n, oh, ow) and filter row k = (kh, kw, ci), 0 outside x. Two products use it:
 *   'filter-gradient': dW[k, co] = Σ over pixels p of A[p, k] · dy[p, co]   (rows k, reduction over p)
 *   'forward':         y[p, co]  = Σ over filter rows k of A[p, k] · W[k, co] (rows p, reduction over k)
 * A workgroup of 16 x 16 threads computes a 64 x 64 output tile (4 x 4 values a thread), stepping
 * through the reduction 16 at a time in workgroup memory. With split-K (dispatch z > 1) workgroup z
 * reduces only its slice into its own slab of the output, [splits, rows, cols]; a second pass
 * (split-sum-program.ts) adds the slabs in order, so the result does not depend on scheduling.
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

/** Side of the output tile one workgroup computes. */
export const PRODUCT_TILE = 64;
/** Reduction steps per pass through workgroup memory. */
export const PRODUCT_TILE_K = 16;

/** Which product (see the file comment). */
export type ConvProductKind = 'filter-gradient' | 'forward';

/** What the program reads from its uniforms, in this order. */
export interface ConvProductGeometry {
  /** Output rows: filter rows KH·KW·Ci (filter gradient) or pixels N·OH·OW (forward). */
  readonly rows: number;
  /** Output columns: Co. */
  readonly cols: number;
  /** The reduction's length: pixels (filter gradient) or filter rows (forward). */
  readonly depth: number;
  /** Reduction values per split, a multiple of PRODUCT_TILE_K. */
  readonly chunk: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly inChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly filterWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly padTop: number;
  readonly padLeft: number;
}

const UNIFORM_ORDER: readonly (keyof ConvProductGeometry)[] = [
  'rows',
  'cols',
  'depth',
  'chunk',
  'inHeight',
  'inWidth',
  'inChannels',
  'outHeight',
  'outWidth',
  'filterWidth',
  'strideHeight',
  'strideWidth',
  'padTop',
  'padLeft',
];

/** The uniforms' values for a geometry (tfjs' runWebGPUProgram format). */
export function convProductUniforms(g: ConvProductGeometry): { type: 'int32'; data: number[] }[] {
  return UNIFORM_ORDER.map((key) => ({ type: 'int32', data: [g[key]] }));
}

export class ConvProductProgram implements WebGPUProgram {
  /** x, and the product's other operand: dy (filter gradient) or the filter (forward). */
  readonly variableNames = ['x', 'b'];
  readonly uniforms = UNIFORM_ORDER.map((key) => `${key} : i32,`).join(' ');
  readonly workgroupSize: [number, number, number] = [16, 16, 1];
  readonly outputShape: number[];
  readonly dispatchLayout = { x: [2], y: [1], z: [0] };
  readonly dispatch: [number, number, number];
  readonly shaderKey: string;

  /**
   * @param pointwise a 1x1 convolution with stride 1 and no padding: A is x itself, [pixels, Ci], and
   * the product is a plain matrix product (xᵀ·dy for the filter gradient).
   */
  constructor(
    private readonly kind: ConvProductKind,
    rows: number,
    cols: number,
    splits: number,
    private readonly pointwise: boolean,
  ) {
    this.outputShape = [splits, rows, cols];
    this.dispatch = [Math.ceil(cols / PRODUCT_TILE), Math.ceil(rows / PRODUCT_TILE), splits];
    this.shaderKey = `expressionLabConvProduct_${kind}_${PRODUCT_TILE}_${PRODUCT_TILE_K}_${pointwise ? 'pointwise' : 'im2col'}`;
  }

  getUserCode(): string {
    const im2col = this.pointwise
      ? `
      fn im2col(p : i32, k : i32) -> f32 {
        return x[p * uniforms.inChannels + k];
      }`
      : `
      fn im2col(p : i32, k : i32) -> f32 {
        let ci = k % uniforms.inChannels;
        let tap = k / uniforms.inChannels;
        let kw = tap % uniforms.filterWidth;
        let kh = tap / uniforms.filterWidth;
        let perImage = uniforms.outHeight * uniforms.outWidth;
        let n = p / perImage;
        let pix = p % perImage;
        let ih = (pix / uniforms.outWidth) * uniforms.strideHeight + kh - uniforms.padTop;
        let iw = (pix % uniforms.outWidth) * uniforms.strideWidth + kw - uniforms.padLeft;
        if (ih < 0 || ih >= uniforms.inHeight || iw < 0 || iw >= uniforms.inWidth) { return 0.0; }
        return x[((n * uniforms.inHeight + ih) * uniforms.inWidth + iw) * uniforms.inChannels + ci];
      }`;
    // A[r, d]: output row r, reduction index d. For the filter gradient r is a filter row and d a pixel.
    const loadA = this.kind === 'filter-gradient' ? 'im2col(d, r)' : 'im2col(r, d)';
    return `
      var<workgroup> tileA : array<array<f32, ${PRODUCT_TILE}>, ${PRODUCT_TILE_K}>;
      var<workgroup> tileB : array<array<f32, ${PRODUCT_TILE}>, ${PRODUCT_TILE_K}>;
      ${im2col}

      fn loadA(r : i32, d : i32, dEnd : i32) -> f32 {
        if (r >= uniforms.rows || d >= dEnd) { return 0.0; }
        return ${loadA};
      }

      fn loadB(d : i32, c : i32, dEnd : i32) -> f32 {
        if (c >= uniforms.cols || d >= dEnd) { return 0.0; }
        return b[d * uniforms.cols + c];
      }

      fn main() {
        let tx = i32(localId.x);
        let ty = i32(localId.y);
        let lin = ty * 16 + tx;
        let col0 = i32(workgroupId.x) * ${PRODUCT_TILE};
        let row0 = i32(workgroupId.y) * ${PRODUCT_TILE};
        let split = i32(workgroupId.z);
        let d0 = split * uniforms.chunk;
        let d1 = min(uniforms.depth, d0 + uniforms.chunk);
        var acc : array<array<f32, 4>, 4>;
        // The trip count comes from the uniforms (WGSL allows barriers in uniform control flow only);
        // steps past the end of the reduction load zeros.
        for (var step = 0; step < uniforms.chunk / ${PRODUCT_TILE_K}; step = step + 1) {
          let db = d0 + step * ${PRODUCT_TILE_K};
          // 16 reduction steps x 64 rows of A and x 64 columns of B: four values of each a thread,
          // consecutive threads on consecutive channels (contiguous in x, dy and the filter).
          for (var i = 0; i < ${(PRODUCT_TILE * PRODUCT_TILE_K) / 256}; i = i + 1) {
            let e = lin + 256 * i;
            let kk = e / ${PRODUCT_TILE};
            let m = e % ${PRODUCT_TILE};
            tileA[kk][m] = loadA(row0 + m, db + kk, d1);
            tileB[kk][m] = loadB(db + kk, col0 + m, d1);
          }
          workgroupBarrier();
          for (var kk = 0; kk < ${PRODUCT_TILE_K}; kk = kk + 1) {
            var a : array<f32, 4>;
            var v : array<f32, 4>;
            for (var i = 0; i < 4; i = i + 1) {
              a[i] = tileA[kk][ty * 4 + i];
              v[i] = tileB[kk][tx * 4 + i];
            }
            for (var i = 0; i < 4; i = i + 1) {
              for (var j = 0; j < 4; j = j + 1) {
                acc[i][j] = fma(a[i], v[j], acc[i][j]);
              }
            }
          }
          workgroupBarrier();
        }
        for (var i = 0; i < 4; i = i + 1) {
          let row = row0 + ty * 4 + i;
          for (var j = 0; j < 4; j = j + 1) {
            let col = col0 + tx * 4 + j;
            if (row < uniforms.rows && col < uniforms.cols) {
              result[(split * uniforms.rows + row) * uniforms.cols + col] = acc[i][j];
            }
          }
        }
      }
    `;
  }
}
