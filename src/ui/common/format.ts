/** Number formatting shared by the panels. */
export { formatBytes } from '../../shared/format.ts';

/** "1 h 02 min", "3 min 05 s", "42 s". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** "64.3 %". */
export function formatPercent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)} %`;
}

/** A learning rate, or "frozen" for 0. */
export function formatRate(rate: number): string {
  return rate === 0 ? 'frozen' : String(rate);
}
