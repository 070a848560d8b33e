// SGD with momentum and weight decay, PyTorch's semantics (dampening 0, no Nesterov), in place over
// a parameter group: one pass over every parameter of the group, split evenly across the threads.
import { f32s, madd, shareStart } from './simd';

/**
 * For each of `count` entries of `table` (four u32 each: param, grad, velocity pointers and length):
 * d = g + weightDecay·p; v = first ? d : momentum·v + d; p = p − lr·v. Parameters and velocities
 * are updated in place; with momentum 0 the velocity is neither read nor written.
 */
export function sgdMomentum(table: usize, count: i32, lr: f32, momentum: f32, weightDecay: f32, first: i32, t: i32, threads: i32): void {
  let total = 0;
  for (let i = 0; i < count; i++) total += load<i32>(table + <usize>(i * 16 + 12));
  const e0 = shareStart(total, t, threads);
  const e1 = shareStart(total, t + 1, threads);
  const mu = f32x4.splat(momentum);
  const wd = f32x4.splat(weightDecay);
  const step = f32x4.splat(-lr);
  let start = 0;
  for (let i = 0; i < count && start < e1; i++) {
    const entry = table + <usize>(i * 16);
    const length = load<i32>(entry, 12);
    const end = start + length;
    const a = max(e0, start) - start;
    const b = min(e1, end) - start;
    if (a < b) {
      const p = <usize>load<u32>(entry);
      const g = <usize>load<u32>(entry, 4);
      const v = <usize>load<u32>(entry, 8);
      let k = a;
      for (; k + 4 <= b; k += 4) {
        const o = f32s(k);
        let d = v128.load(g + o);
        if (weightDecay != 0) d = madd(wd, v128.load(p + o), d);
        if (momentum != 0) {
          d = first ? d : madd(mu, v128.load(v + o), d);
          v128.store(v + o, d);
        }
        v128.store(p + o, madd(step, d, v128.load(p + o)));
      }
      for (; k < b; k++) {
        const o = f32s(k);
        let d = load<f32>(g + o);
        if (weightDecay != 0) d += weightDecay * load<f32>(p + o);
        if (momentum != 0) {
          d = first ? d : momentum * load<f32>(v + o) + d;
          store<f32>(v + o, d);
        }
        store<f32>(p + o, load<f32>(p + o) - lr * d);
      }
    }
    start = end;
  }
}
