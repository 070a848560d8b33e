/**
 * A tiny anti-aliased rasteriser for the demo faces: filled ellipses and thick strokes on a
 * Float32Array canvas of gray values 0..255. Coverage falls off linearly over one pixel at each
 * edge, which is enough to make smooth-looking 48×48 drawings without a canvas API.
 */

/** A square gray canvas, row-major. */
export interface GrayCanvas {
  readonly size: number;
  readonly values: Float32Array;
}

/** A canvas of `size`×`size` filled with `value`. */
export function createCanvas(size: number, value: number): GrayCanvas {
  return { size, values: new Float32Array(size * size).fill(value) };
}

function blend(canvas: GrayCanvas, x: number, y: number, value: number, coverage: number): void {
  if (coverage <= 0) return;
  const at = y * canvas.size + x;
  const old = canvas.values[at] as number;
  const alpha = Math.min(1, coverage);
  canvas.values[at] = old + (value - old) * alpha;
}

/** Fills an ellipse centred at (cx, cy) with radii rx, ry, rotated by `angle` radians. */
export function fillEllipse(canvas: GrayCanvas, cx: number, cy: number, rx: number, ry: number, angle: number, value: number): void {
  const reach = Math.max(rx, ry) + 1;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const radius = Math.min(rx, ry);
  for (let y = Math.max(0, Math.floor(cy - reach)); y <= Math.min(canvas.size - 1, Math.ceil(cy + reach)); y++) {
    for (let x = Math.max(0, Math.floor(cx - reach)); x <= Math.min(canvas.size - 1, Math.ceil(cx + reach)); x++) {
      const dx = x + 0.5 - cx;
      const dy = y + 0.5 - cy;
      const u = (dx * cos + dy * sin) / rx;
      const v = (-dx * sin + dy * cos) / ry;
      const distance = (Math.sqrt(u * u + v * v) - 1) * radius;
      blend(canvas, x, y, value, 0.5 - distance);
    }
  }
}

function distanceToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / lengthSquared));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Strokes the polyline through `points` ([x0, y0, x1, y1, …]) with the given width. */
export function strokePolyline(canvas: GrayCanvas, points: readonly number[], width: number, value: number): void {
  const xs = points.filter((_, i) => i % 2 === 0);
  const ys = points.filter((_, i) => i % 2 === 1);
  const pad = width / 2 + 1;
  const y0 = Math.max(0, Math.floor(Math.min(...ys) - pad));
  const y1 = Math.min(canvas.size - 1, Math.ceil(Math.max(...ys) + pad));
  const x0 = Math.max(0, Math.floor(Math.min(...xs) - pad));
  const x1 = Math.min(canvas.size - 1, Math.ceil(Math.max(...xs) + pad));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      let nearest = Infinity;
      for (let i = 0; i + 3 < points.length; i += 2) {
        const d = distanceToSegment(
          x + 0.5,
          y + 0.5,
          points[i] as number,
          points[i + 1] as number,
          points[i + 2] as number,
          points[i + 3] as number,
        );
        nearest = Math.min(nearest, d);
      }
      blend(canvas, x, y, value, width / 2 + 0.5 - nearest);
    }
  }
}

/** Points along the quadratic Bézier from (ax, ay) via control (cx, cy) to (bx, by), as a flat polyline. */
export function quadraticPoints(ax: number, ay: number, cx: number, cy: number, bx: number, by: number, steps = 12): number[] {
  const points: number[] = [];
  for (let i = 0; i <= steps; i++) {
    const t = i / steps;
    const s = 1 - t;
    points.push(s * s * ax + 2 * s * t * cx + t * t * bx, s * s * ay + 2 * s * t * cy + t * t * by);
  }
  return points;
}
