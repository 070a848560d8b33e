// SGD with momentum and weight decay, PyTorch's semantics (dampening 0, no Nesterov), over a whole
// parameter group in one pass split evenly across the threads. It writes the new parameters and
// momentum into fresh buffers rather than in place: tfjs-wasm's XNNPACK keeps packed copies of
// weights keyed by tensor (the fc layer's matrix product), which an update in place would leave stale.
import { f32s, madd, shareStart } from './simd';

/** Bytes of one entry of the table: six u32 (param, grad, velocity, new param, new velocity, length). */
const ENTRY: i32 = 24;

/**
 * For each of `count` entries of `table` (pointers p, g, v, pOut, vOut and a length n):
 * d = g + weightDecay·p; v' = first ? d : momentum·v + d; p' = p − lr·v' (with momentum 0, p' = p − lr·d
 * and neither v nor vOut is touched); p' goes to pOut, v' to vOut. Inputs are only read.
 */
export function sgdMomentum(table: usize, count: i32, lr: f32, momentum: f32, weightDecay: f32, first: i32, t: i32, threads: i32): void {
  let total = 0;
  for (let i = 0; i < count; i++) total += load<i32>(table + <usize>(i * ENTRY + 20));
  const e0 = shareStart(total, t, threads);
  const e1 = shareStart(total, t + 1, threads);
  const mu = f32x4.splat(momentum);
  const wd = f32x4.splat(weightDecay);
  const step = f32x4.splat(-lr);
  let start = 0;
  for (let i = 0; i < count && start < e1; i++) {
    const entry = table + <usize>(i * ENTRY);
    const end = start + load<i32>(entry, 20);
    const a = max(e0, start) - start;
    const b = min(e1, end) - start;
    if (a < b) {
      const p = <usize>load<u32>(entry);
      const g = <usize>load<u32>(entry, 4);
      const v = <usize>load<u32>(entry, 8);
      const pOut = <usize>load<u32>(entry, 12);
      const vOut = <usize>load<u32>(entry, 16);
      let k = a;
      for (; k + 4 <= b; k += 4) {
        const o = f32s(k);
        let d = v128.load(g + o);
        if (weightDecay != 0) d = madd(wd, v128.load(p + o), d);
        if (momentum != 0) {
          d = first ? d : madd(mu, v128.load(v + o), d);
          v128.store(vOut + o, d);
        }
        v128.store(pOut + o, madd(step, d, v128.load(p + o)));
      }
      for (; k < b; k++) {
        const o = f32s(k);
        let d = load<f32>(g + o);
        if (weightDecay != 0) d += weightDecay * load<f32>(p + o);
        if (momentum != 0) {
          d = first ? d : momentum * load<f32>(v + o) + d;
          store<f32>(vOut + o, d);
        }
        store<f32>(pOut + o, load<f32>(p + o) - lr * d);
      }
    }
    start = end;
  }
}
