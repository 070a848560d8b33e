/**
 * im2col and its adjoint over the wasm heap, for convolutions computed as one XNNPACK matrix
 * product. The copies move whole channel runs with copyWithin on the heap itself: no per-run
 * allocation, a memmove per run.
 */

/** The windows of an NHWC conv2d: input [B, H, W, C], output [B, OH, OW, ·], kernel KH x KW. */
export interface ConvWindows {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly channels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly kh: number;
  readonly kw: number;
  readonly strideH: number;
  readonly strideW: number;
  /** Zero padding before the first row and column. */
  readonly padTop: number;
  readonly padLeft: number;
}

/** A float32 view of the whole heap and where `view` starts in it (in elements). */
function onHeap(view: Float32Array): { heap: Float32Array; at: number } {
  return { heap: new Float32Array(view.buffer), at: view.byteOffset / 4 };
}

/**
 * Calls `visit(col, x)` for every channel run of the im2col matrix, in its row-major order: `col` is
 * where the run starts in cols [B·OH·OW, KH·KW·C], `x` where its C values start in x [B, H, W, C],
 * or -1 when the window position lies in the padding.
 */
function forEachWindowRun(g: ConvWindows, visit: (col: number, x: number) => void): void {
  const c = g.channels;
  let col = 0;
  for (let b = 0; b < g.batch; b++)
    for (let oh = 0; oh < g.outHeight; oh++)
      for (let ow = 0; ow < g.outWidth; ow++)
        for (let kh = 0; kh < g.kh; kh++) {
          const h = oh * g.strideH + kh - g.padTop;
          const row = h < 0 || h >= g.inHeight ? -1 : (b * g.inHeight + h) * g.inWidth;
          for (let kw = 0; kw < g.kw; kw++, col += c) {
            const w = ow * g.strideW + kw - g.padLeft;
            visit(col, row < 0 || w < 0 || w >= g.inWidth ? -1 : (row + w) * c);
          }
        }
}

/**
 * cols[(b, oh, ow), (kh, kw, c)] = x[b, oh·sH + kh − padTop, ow·sW + kw − padLeft, c], zero where
 * that falls outside x. `x` and `cols` are views on the same heap; cols is [B·OH·OW, KH·KW·C], the
 * row layout of a [KH, KW, C, Co] filter flattened to [KH·KW·C, Co].
 */
export function im2col(x: Float32Array, g: ConvWindows, cols: Float32Array): void {
  const { heap, at: xAt } = onHeap(x);
  const colsAt = onHeap(cols).at;
  const c = g.channels;
  forEachWindowRun(g, (col, from) => {
    if (from < 0) heap.fill(0, colsAt + col, colsAt + col + c);
    else heap.copyWithin(colsAt + col, xAt + from, xAt + from + c);
  });
}

/**
 * The adjoint of {@link im2col}: dx[b, oh·sH + kh − padTop, ow·sW + kw − padLeft, c] +=
 * cols[(b, oh, ow), (kh, kw, c)] for every position inside dx; the rest of cols (the padding) is
 * dropped. dx is [B, H, W, C] and is first zeroed.
 */
export function col2im(cols: Float32Array, g: ConvWindows, dx: Float32Array): void {
  dx.fill(0);
  const c = g.channels;
  forEachWindowRun(g, (col, to) => {
    if (to < 0) return;
    for (let i = 0; i < c; i++) dx[to + i] = (dx[to + i] as number) + (cols[col + i] as number);
  });
}

/** True when im2col of `g` is x itself: a 1x1 kernel at stride 1 with no padding. */
export function isIdentityWindow(g: ConvWindows): boolean {
  return (
    g.kh === 1 &&
    g.kw === 1 &&
    g.strideH === 1 &&
    g.strideW === 1 &&
    g.padTop === 0 &&
    g.padLeft === 0 &&
    g.outHeight === g.inHeight &&
    g.outWidth === g.inWidth
  );
}

/** The windows of a tfjs Conv2DInfo (NHWC, dilation 1). */
export function convWindows(info: {
  batchSize: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padInfo: { top: number; left: number };
}): ConvWindows {
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    channels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    kh: info.filterHeight,
    kw: info.filterWidth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}
