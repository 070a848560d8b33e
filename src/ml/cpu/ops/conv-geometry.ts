/**
 * One 2-D convolution's geometry, NHWC input [n, h, w, ci], HWIO filter [kh, kw, ci, co], output
 * [n, oh, ow, co], dilation 1. Padding is the top and left offsets; bottom and right follow from the
 * output size. tfjs' computeConv2DInfo gives all of it.
 */
export interface ConvGeometry {
  readonly n: number;
  readonly h: number;
  readonly w: number;
  readonly ci: number;
  readonly co: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly padTop: number;
  readonly padLeft: number;
  readonly oh: number;
  readonly ow: number;
}

/** The source of the forward convolution's window runs: x itself, or a zero-padded copy [n, ph, pw, ci]. */
export interface PaddedSource {
  readonly padded: boolean;
  readonly height: number;
  readonly width: number;
}

/** Rows and columns the windows reach, and whether x must be copied with zeros around it to give them. */
export function paddedSource(g: ConvGeometry): PaddedSource {
  const height = (g.oh - 1) * g.sh + g.kh;
  const width = (g.ow - 1) * g.sw + g.kw;
  const padded = g.padTop > 0 || g.padLeft > 0 || height > g.h || width > g.w;
  return padded ? { padded, height, width } : { padded, height: g.h, width: g.w };
}

/** One stride phase of the input gradient: the input pixels ih ≡ first (mod sh) and the kernel taps that reach them. */
export interface Phase {
  /** First input row (column) of the phase. */
  readonly first: number;
  /** Input rows (columns) in the phase. */
  readonly count: number;
  /** Kernel taps of the phase: kh = phase + t·stride for t < taps. */
  readonly taps: number;
  /** The phase: (first + pad) mod stride. */
  readonly phase: number;
  /** Output row (column) that the last tap of the phase's first pixel reads: base − (taps − 1). */
  readonly firstOutput: number;
  /** Output row (column) that the first tap of the phase's last pixel reads. */
  readonly lastOutput: number;
}

/** The stride phases along one axis of the input gradient (size, kernel, stride, pad before). */
export function phases(size: number, kernel: number, stride: number, pad: number): Phase[] {
  const out: Phase[] = [];
  for (let phase = 0; phase < stride; phase++) {
    const first = (((phase - pad) % stride) + stride) % stride;
    if (first >= size) continue;
    const count = Math.ceil((size - first) / stride);
    const taps = phase < kernel ? Math.ceil((kernel - phase) / stride) : 0;
    const base = (first + pad - phase) / stride;
    out.push({ first, count, taps, phase, firstOutput: base - (taps - 1), lastOutput: base + count - 1 });
  }
  return out;
}
