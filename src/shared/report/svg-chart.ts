/** Small line charts as inline SVG strings, for the self-contained report (no script, no fonts fetched). */
import { escapeHtml } from './escape.ts';

export interface SvgSeries {
  readonly label: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
  readonly dashed?: boolean;
}

export interface SvgChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly series: readonly SvgSeries[];
  /** y range; defaults to [min(0, data), max(data)]. */
  readonly yRange?: readonly [number, number];
  readonly formatY?: (v: number) => string;
  readonly width?: number;
  readonly height?: number;
}

const M = { left: 48, right: 12, top: 22, bottom: 30 };

/** Five "nice" ticks from lo to hi. */
function ticks(lo: number, hi: number): number[] {
  if (!(hi > lo)) return [lo];
  const step = (hi - lo) / 4;
  return [0, 1, 2, 3, 4].map((i) => lo + i * step);
}

/** One chart: axes with ticks, a polyline per series (dashed if asked), the title and the x label. */
export function lineChartSvg(options: SvgChartOptions): string {
  const { title, xLabel, series, width = 440, height = 230 } = options;
  const format = options.formatY ?? ((v: number) => String(Number(v.toPrecision(3))));
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1])).filter(Number.isFinite);
  const [x0, x1] = [Math.min(0, ...xs), Math.max(1, ...xs)];
  const [y0, y1] = options.yRange ?? [Math.min(0, ...ys), Math.max(1e-9, ...ys)];
  const sx = (x: number) => M.left + ((x - x0) / (x1 - x0 || 1)) * (width - M.left - M.right);
  const sy = (y: number) => height - M.bottom - ((y - y0) / (y1 - y0 || 1)) * (height - M.top - M.bottom);
  const yTicks = ticks(y0, y1)
    .map(
      (v) =>
        `<line x1="${M.left}" x2="${width - M.right}" y1="${sy(v).toFixed(1)}" y2="${sy(v).toFixed(1)}" stroke="#ddd"/>` +
        `<text x="${M.left - 4}" y="${(sy(v) + 3).toFixed(1)}" text-anchor="end">${escapeHtml(format(v))}</text>`,
    )
    .join('');
  const xTicks = Array.from(
    { length: Math.min(11, Math.round(x1 - x0) + 1) },
    (_, i) => x0 + (i * (x1 - x0)) / Math.min(10, Math.round(x1 - x0) || 1),
  )
    .map((v) => `<text x="${sx(v).toFixed(1)}" y="${height - M.bottom + 12}" text-anchor="middle">${Number(v.toFixed(1))}</text>`)
    .join('');
  const lines = series
    .filter((s) => s.points.length > 0)
    .map((s) => {
      const d = s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(Math.min(y1, Math.max(y0, y))).toFixed(1)}`).join(' ');
      const dots = s.dashed
        ? ''
        : s.points
            .map(
              ([x, y]) =>
                `<circle cx="${sx(x).toFixed(1)}" cy="${sy(Math.min(y1, Math.max(y0, y))).toFixed(1)}" r="2.5" fill="${s.color}"/>`,
            )
            .join('');
      return `<polyline fill="none" stroke="${s.color}" stroke-width="${s.dashed ? 1.5 : 2.2}"${s.dashed ? ' stroke-dasharray="5 3"' : ''} points="${d}"><title>${escapeHtml(s.label)}</title></polyline>${dots}`;
    })
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}" font-family="sans-serif" font-size="10" fill="#444">` +
    `<text x="${M.left}" y="14" font-size="12" font-weight="600">${escapeHtml(title)}</text>${yTicks}${xTicks}` +
    `<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${height - M.bottom}" stroke="#888"/>` +
    `<line x1="${M.left}" x2="${width - M.right}" y1="${height - M.bottom}" y2="${height - M.bottom}" stroke="#888"/>` +
    `<text x="${width - M.right}" y="${height - 4}" text-anchor="end">${escapeHtml(xLabel)}</text>${lines}</svg>`
  );
}
