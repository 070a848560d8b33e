/** A logarithmic y axis for loss, so a run at loss ~150 and one at ~2 are both readable on one chart. */

/** Loss values below this are drawn at it: a log axis has no 0, and a loss this small reads as 0. */
export const LOG_FLOOR = 1e-3;

/** The domain (whole decades) and ticks of a log axis over `values`; 1, 2 and 5 per decade when it spans at most two. */
export function logAxis(values: readonly number[]): { domain: [number, number]; ticks: number[] } {
  const finite = values.filter((v) => Number.isFinite(v)).map((v) => Math.max(v, LOG_FLOOR));
  if (finite.length === 0) return { domain: [0.1, 10], ticks: [0.1, 1, 10] };
  const lo = Math.floor(Math.log10(Math.min(...finite)));
  let hi = Math.ceil(Math.log10(Math.max(...finite)));
  if (hi === lo) hi = lo + 1;
  const steps = hi - lo <= 2 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let k = lo; k <= hi; k++) {
    for (const m of steps) {
      const t = Number((m * 10 ** k).toPrecision(1));
      if (t <= 10 ** hi) ticks.push(t);
    }
  }
  return { domain: [10 ** lo, 10 ** hi], ticks };
}

/** "150", "2", "0.5", "0.01": the fewest digits a log tick needs. */
export function formatLogTick(v: number): string {
  return String(Number(v.toPrecision(2)));
}
