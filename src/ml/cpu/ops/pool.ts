/** Pooling on the CPU kernels (assembly/pool.ts): pointers into the engine's memory, float32 NHWC. */
import type { CpuEngine } from '../engine.ts';

/** A max pool's geometry: input [n, h, w, c], output [n, oh, ow, c], window kh x kw, strides, top/left padding. */
export interface PoolGeometry {
  readonly n: number;
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly oh: number;
  readonly ow: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly padTop: number;
  readonly padLeft: number;
}

/** y = the max pool of x (windows clipped to x, as padding with −∞); c % 4 == 0. */
export function maxPool(engine: CpuEngine, g: PoolGeometry, x: number, y: number): void {
  engine.run('maxPool', [x, y, g.n, g.h, g.w, g.c, g.oh, g.ow, g.kh, g.kw, g.sh, g.sw, g.padTop, g.padLeft]);
}

/** dx = the max pool's gradient: each window's dy goes to its first maximum. */
export function maxPoolGrad(engine: CpuEngine, g: PoolGeometry, x: number, dy: number, dx: number): void {
  engine.run('maxPoolGrad', [x, dy, dx, g.n, g.h, g.w, g.c, g.oh, g.ow, g.kh, g.kw, g.sh, g.sw, g.padTop, g.padLeft]);
}

/** y[n, c] = mean of x[n, :, :, c] over `positions` = h·w; c % 4 == 0. */
export function globalAvgPool(engine: CpuEngine, n: number, positions: number, c: number, x: number, y: number): void {
  engine.run('globalAvgPool', [x, n, positions, c, y]);
}

/** dx[n, i, c] = dy[n, c] / positions; c % 4 == 0. */
export function globalAvgPoolGrad(engine: CpuEngine, n: number, positions: number, c: number, dy: number, dx: number): void {
  engine.run('globalAvgPoolGrad', [dy, n, positions, c, dx]);
}
