/**
 * The three convolutions of a training step on the CPU kernels, on pointers into the engine's memory
 * (float32, NHWC, HWIO). Each prepares the contiguous runs its product reads (a zero-padded copy),
 * then runs one implicit matrix product (assembly/conv-gemm.ts,
 * assembly/conv-filter.ts) on every thread.
 */
import type { CpuEngine } from '../engine.ts';
import { paddedSource, phases, type ConvGeometry } from './conv-geometry.ts';

const F32 = 4;

/** Columns of the product's packed filter blocks (assembly/conv-gemm.ts NB). */
const COLUMN_BLOCK = 64;

/**
 * Runs one implicit product (assembly/conv-gemm.ts) with `args` (its arguments up to the pixel grid),
 * giving each thread room to pack a column block of the filter: rows · runLength · 64 floats.
 */
function convGemm(engine: CpuEngine, rows: number, runLength: number, args: readonly number[]): void {
  const packBytes = Math.ceil((Math.max(1, rows) * runLength * COLUMN_BLOCK * F32) / 64) * 64;
  engine.withBuffers([packBytes * engine.threads], ([packs]) => {
    engine.run('convGemm', [...args, packs!, packBytes, engine.scratch, engine.scratchStride]);
  });
}

/** Runs `body` with the forward convolution's window source: x, or its zero-padded copy. */
function withSource<T>(engine: CpuEngine, g: ConvGeometry, x: number, body: (src: number, height: number, width: number) => T): T {
  const s = paddedSource(g);
  if (!s.padded) return body(x, s.height, s.width);
  return engine.withBuffers([g.n * s.height * s.width * g.ci * F32], ([p]) => {
    engine.run('padCopy', [x, g.n, g.h, g.w, g.ci, p!, s.height, s.width, g.padTop, g.padLeft]);
    return body(p!, s.height, s.width);
  });
}

/** y[n, oh, ow, co] = Σ x · w: the forward convolution. */
export function conv2dForward(engine: CpuEngine, g: ConvGeometry, x: number, filter: number, y: number): void {
  withSource(engine, g, x, (src, height, width) => {
    // prettier-ignore
    convGemm(engine, g.kh, g.kw * g.ci, [
      src, height, width, g.ci, g.sh, 0, g.sw, 0, g.kh, g.kw * g.ci,
      filter, 0, g.kw * g.ci * g.co, g.ci, g.ci * g.co, g.co, 1,
      y, g.oh, g.ow, g.co, 1, 0, 1, 0,
      g.n, g.oh, g.ow,
    ]);
  });
}

/**
 * dx[n, h, w, ci] = Σ dy · w over the windows that read each input pixel: a convolution of dy
 * (zero-padded) with the flipped filter, read transposed as it is packed, one product per stride phase.
 */
export function conv2dBackpropInput(engine: CpuEngine, g: ConvGeometry, dy: number, filter: number, dx: number): void {
  const rows = phases(g.h, g.kh, g.sh, g.padTop);
  const cols = phases(g.w, g.kw, g.sw, g.padLeft);
  const reach = (ps: typeof rows, size: number): { before: number; extent: number } => {
    const live = ps.filter((p) => p.taps > 0);
    const lo = Math.min(0, ...live.map((p) => p.firstOutput));
    const hi = Math.max(size - 1, ...live.map((p) => p.lastOutput));
    return { before: -lo, extent: hi - lo + 1 };
  };
  const r = reach(rows, g.oh);
  const c = reach(cols, g.ow);
  const copy = r.before > 0 || c.before > 0 || r.extent > g.oh || c.extent > g.ow;
  const dyBytes = copy ? g.n * r.extent * c.extent * g.co * F32 : 0;
  engine.withBuffers([dyBytes], ([padded]) => {
    if (copy) engine.run('padCopy', [dy, g.n, g.oh, g.ow, g.co, padded!, r.extent, c.extent, r.before, c.before]);
    const src = copy ? padded! : dy;
    for (const pr of rows) {
      for (const pc of cols) {
        const taps = pr.taps > 0 && pc.taps > 0;
        const khTop = pr.phase + (pr.taps - 1) * g.sh;
        const kwTop = pc.phase + (pc.taps - 1) * g.sw;
        // prettier-ignore
        convGemm(engine, taps ? pr.taps : 0, pc.taps * g.co, [
          src, r.extent, c.extent, g.co, 1, pr.firstOutput + r.before, 1, pc.firstOutput + c.before,
          taps ? pr.taps : 0, pc.taps * g.co,
          filter, (khTop * g.kw + kwTop) * g.ci * g.co, -g.sh * g.kw * g.ci * g.co, g.co, -g.sw * g.ci * g.co, 1, g.co,
          dx, g.h, g.w, g.ci, g.sh, pr.first, g.sw, pc.first,
          g.n, pr.count, pc.count,
        ]);
      }
    }
  });
}

/**
 * dw[kh, kw, ci, co] = Σ over pixels of x · dy: one product reducing over the batch's pixels, with
 * dy's channels padded to a multiple of 16 where they are not (test shapes; ResNet50's are).
 */
export function conv2dBackpropFilter(engine: CpuEngine, g: ConvGeometry, x: number, dy: number, dw: number): void {
  const pixels = g.n * g.oh * g.ow;
  const cols = Math.ceil(g.co / 16) * 16;
  const ragged = cols !== g.co;
  const runLength = g.kw * g.ci;
  withSource(engine, g, x, (src, height, width) => {
    const extra = ragged ? [pixels * cols * F32, g.kh * runLength * cols * F32] : [];
    engine.withBuffers(extra, ([dyWide, dwWide]) => {
      if (ragged) copyColumns(engine, dy, pixels, g.co, dyWide!, cols);
      // prettier-ignore
      engine.run('convFilterGrad', [
        src, height, width, g.ci, g.sh, g.sw, g.kh, runLength,
        ragged ? dyWide! : dy, cols, ragged ? dwWide! : dw,
        g.n, g.oh, g.ow, engine.scratch, engine.scratchStride,
      ]);
      if (ragged) copyColumns(engine, dwWide!, g.kh * runLength, cols, dw, g.co);
    });
  });
}

/** dst[r][0:to] = src[r][0:from] (zeros past `from`), for `rows` rows: a JS loop, used only for ragged test shapes. */
function copyColumns(engine: CpuEngine, src: number, rows: number, from: number, dst: number, to: number): void {
  const f = engine.floats();
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < to; c++) f[dst / F32 + r * to + c] = c < from ? f[src / F32 + r * from + c]! : 0;
  }
}
