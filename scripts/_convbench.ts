import { createTestEngine } from '../src/ml/cpu/testing/node-engine.ts';
import { conv2dForward, conv2dBackpropInput, conv2dBackpropFilter } from '../src/ml/cpu/ops/conv.ts';
import { resnet50ConvShapes, convFlops } from './browser-bench/conv-shapes.ts';
const threads = Number(process.argv[2] ?? 1), fma = process.argv[3] === 'fma', size = Number(process.argv[4] ?? 64), batch = 16;
const { engine, heap } = await createTestEngine({ threads, fma });
const shapes = resnet50ConvShapes(size);
const tot = { f: 0, d: 0, w: 0, flops: 0 };
function best(fn: () => void, reps = 5) { fn(); let b = 1e9; for (let i = 0; i < reps; i++) { const t = performance.now(); fn(); b = Math.min(b, performance.now() - t); } return b; }
for (const c of shapes) {
  const oh = Math.floor((c.size + 2 * c.pad - c.k) / c.stride) + 1;
  const g = { n: batch, h: c.size, w: c.size, ci: c.ci, co: c.co, kh: c.k, kw: c.k, sh: c.stride, sw: c.stride, padTop: c.pad, padLeft: c.pad, oh, ow: oh };
  const mark = heap.mark;
  const x = heap.malloc(batch * c.size * c.size * c.ci * 4), w = heap.malloc(c.k * c.k * c.ci * c.co * 4), y = heap.malloc(batch * oh * oh * c.co * 4);
  const f = engine.floats(); for (let i = 0; i < (heap.mark - x) / 4; i++) f[x / 4 + i] = Math.random() - 0.5;
  const flops = convFlops(c, batch);
  const tf_ = best(() => conv2dForward(engine, g, x, w, y));
  const td = c.ci === 3 ? 0 : best(() => conv2dBackpropInput(engine, g, y, w, x));
  const tw = best(() => conv2dBackpropFilter(engine, g, x, y, w));
  tot.f += tf_ * c.count; tot.d += td * c.count; tot.w += tw * c.count; tot.flops += flops * c.count;
  console.log(`${c.k}x${c.k}/${c.stride} ${c.size}px ${c.ci}->${c.co} x${c.count}: fwd ${tf_.toFixed(2)} ms ${(flops / tf_ / 1e6).toFixed(0)} | dx ${td.toFixed(2)} ${(flops / td / 1e6).toFixed(0)} | dw ${tw.toFixed(2)} ${(flops / tw / 1e6).toFixed(0)} GFLOP/s`);
  heap.reset(mark);
}
console.log(`total (x count): fwd ${tot.f.toFixed(0)} ms (${(tot.flops / tot.f / 1e6).toFixed(0)} GFLOP/s) dx ${tot.d.toFixed(0)} ms dw ${tot.w.toFixed(0)} ms; sum ${(tot.f + tot.d + tot.w).toFixed(0)} ms`);
engine.dispose();
