/**
 * `npm run bench:webgpu-kernels [-- --size 32] [--batch 4]`: the filter gradient and the
 * forward convolution of every ResNet50 convolution shape on WebGPU in headless Chromium,
 * tfjs-backend-webgpu's own kernels against the lab's (src/ml/webgpu: tiled, split-K). GPU times from
 * timestamp queries. Here WebGPU is SwiftShader, a CPU emulation: the ratios say which kernel does
 * less work, not what a real GPU will do. Asserts nothing.
 */
import { execSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { type ConvShape, convFlops, resnet50ConvShapes } from './conv-shapes.ts';
import { runBenchPage } from './run-page.ts';
import type { WebGpuFilterResult } from './webgpu-filter-page.ts';

const { values } = parseArgs({ options: { size: { type: 'string', default: '32' }, batch: { type: 'string', default: '4' } } });
const size = Number(values.size);
const batch = Number(values.batch);
const shapes: ConvShape[] = resnet50ConvShapes(size);
console.log(`load: ${execSync('uptime').toString().trim()}`);
const r = await runBenchPage<WebGpuFilterResult>('scripts/browser-bench/webgpu-filter.html', {
  shapes: JSON.stringify(shapes),
  batch: String(batch),
});
console.log(
  `\n${size} px, batch ${batch}, ${r.adapter}; ${r.timestampQueries ? 'GPU time from timestamp queries' : 'wall time (no timestamp queries)'}, fastest of 3:`,
);
console.log(
  '| conv | count | forward, tfjs-webgpu | forward, the lab (split-K where it takes it) | filter gradient, tfjs-webgpu | filter gradient, ours | filter gradient ours vs tfjs |',
);
console.log('|---|---|---|---|---|---|---|');
let [fb, f, b, o] = [0, 0, 0, 0];
shapes.forEach((c, i) => {
  const [fwb, fw, bi, ou] = [r.forwardBuiltIn[i]!, r.forward[i]!, r.builtIn[i]!, r.ours[i]!];
  fb += c.count * fwb;
  f += c.count * fw;
  b += c.count * bi;
  o += c.count * ou;
  const mflop = convFlops(c, batch) / 1e6;
  // prettier-ignore
  console.log(`| ${c.k}x${c.k}/${c.stride} ${c.size}px ${c.ci}→${c.co} | ${c.count} | ${fwb.toFixed(1)} ms | ${fw.toFixed(1)} ms | ${bi.toFixed(1)} ms (${(mflop / bi).toFixed(2)} GFLOP/s) | ${ou.toFixed(1)} ms (${(mflop / ou).toFixed(2)} GFLOP/s) | ${(bi / ou).toFixed(1)}x |`);
});
console.log(
  `a step's forward convolutions: tfjs-webgpu ${fb.toFixed(0)} ms, the lab ${f.toFixed(0)} ms; filter gradients: tfjs-webgpu ${b.toFixed(0)} ms, ours ${o.toFixed(0)} ms (${(b / o).toFixed(1)}x less)`,
);
