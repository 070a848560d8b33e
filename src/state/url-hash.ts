/**
 * The setup in the URL hash, TensorFlow Playground style, so a link reproduces it:
 * `#regime=linear&lr=0,0,0,0,0,0,0.005&momentum=0.9&batch=64&epochs=10&size=48&seed=42&…`.
 * Unknown or invalid values fall back to the defaults, one key at a time.
 */
import { REGIME_IDS, RESNET_BLOCKS, type RegimeId } from '../shared/regimes.ts';
import type { AugmentConfig, LrSchedule, TrainConfig } from '../shared/types.ts';
import { DEFAULT_LAB_CONFIG, INPUT_SIZES, type GroupingConfig, type LabConfig } from './config-defaults.ts';

const num = (value: string | null, fallback: number, min: number, max: number): number => {
  const n = value === null || value === '' ? NaN : Number(value);
  return Number.isFinite(n) && n >= min && n <= max ? n : fallback;
};
const bool = (value: string | null, fallback: boolean): boolean => (value === '1' ? true : value === '0' ? false : fallback);

function encodeSchedule(s: LrSchedule): string {
  return s.kind === 'step' ? `step:${s.everyEpochs}:${s.gamma}` : s.kind;
}

function decodeSchedule(value: string | null, fallback: LrSchedule): LrSchedule {
  if (value === 'constant' || value === 'cosine') return { kind: value };
  const [kind, every, gamma] = (value ?? '').split(':');
  if (kind !== 'step') return fallback;
  return { kind: 'step', everyEpochs: Math.round(num(every ?? null, 3, 1, 1000)), gamma: num(gamma ?? null, 0.1, 0, 1) };
}

/** The hash (without `#`) for a setup. */
export function encodeConfigHash(config: LabConfig): string {
  const t = config.train;
  const a = t.augment;
  const p = new URLSearchParams();
  p.set('regime', t.regime);
  p.set('lr', RESNET_BLOCKS.map((b) => t.learningRates[b]).join(','));
  p.set('momentum', String(t.momentum));
  p.set('batch', String(t.batchSize));
  p.set('epochs', String(t.epochs));
  p.set('size', String(t.inputSize));
  p.set('seed', String(t.seed));
  p.set('val', String(config.validationFraction));
  p.set('group', config.grouping.by === 'pattern' ? `pattern:${config.grouping.pattern}` : config.grouping.by);
  p.set('flip', a.hflip.enabled ? `1:${a.hflip.p}` : `0:${a.hflip.p}`);
  p.set('rot', `${a.rotate.enabled ? 1 : 0}:${a.rotate.degrees}`);
  p.set('persp', `${a.perspective.enabled ? 1 : 0}:${a.perspective.distortion}:${a.perspective.p}`);
  p.set('sched', encodeSchedule(t.schedule));
  p.set('patience', String(t.earlyStoppingPatience));
  p.set('weighted', t.classWeighted ? '1' : '0');
  p.set('exact', t.exactSeedBehaviour ? '1' : '0');
  p.set('resize', t.resizeMode);
  // Commas and colons are safe in a fragment; keeping them makes the link readable.
  return p.toString().replace(/%2C/g, ',').replace(/%3A/g, ':');
}

function decodeAugment(p: URLSearchParams, d: AugmentConfig): AugmentConfig {
  const [fOn, fP] = (p.get('flip') ?? '').split(':');
  const [rOn, rDeg] = (p.get('rot') ?? '').split(':');
  const [pOn, pDist, pP] = (p.get('persp') ?? '').split(':');
  return {
    hflip: { enabled: bool(fOn ?? null, d.hflip.enabled), p: num(fP ?? null, d.hflip.p, 0, 1) },
    rotate: { enabled: bool(rOn ?? null, d.rotate.enabled), degrees: num(rDeg ?? null, d.rotate.degrees, 0, 180) },
    perspective: {
      enabled: bool(pOn ?? null, d.perspective.enabled),
      distortion: num(pDist ?? null, d.perspective.distortion, 0, 1),
      p: num(pP ?? null, d.perspective.p, 0, 1),
    },
  };
}

function decodeGrouping(value: string | null, fallback: GroupingConfig): GroupingConfig {
  if (value === 'auto' || value === 'image') return { by: value, pattern: fallback.pattern };
  if (value?.startsWith('pattern:')) return { by: 'pattern', pattern: value.slice('pattern:'.length) };
  return fallback;
}

/** The setup a hash describes; keys it lacks keep their defaults. */
export function decodeConfigHash(hash: string, defaults: LabConfig = DEFAULT_LAB_CONFIG): LabConfig {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const d = defaults.train;
  const regimeParam = p.get('regime');
  const regime = REGIME_IDS.includes(regimeParam as RegimeId) ? (regimeParam as RegimeId) : d.regime;
  const lrValues = (p.get('lr') ?? '').split(',');
  const learningRates = { ...d.learningRates };
  if (lrValues.length === RESNET_BLOCKS.length)
    RESNET_BLOCKS.forEach((b, i) => (learningRates[b] = num(lrValues[i] ?? null, d.learningRates[b], 0, 10)));
  const size = num(p.get('size'), d.inputSize, 1, 1024);
  const train: TrainConfig = {
    regime,
    learningRates,
    momentum: num(p.get('momentum'), d.momentum, 0, 0.999),
    batchSize: Math.round(num(p.get('batch'), d.batchSize, 1, 1024)),
    epochs: Math.round(num(p.get('epochs'), d.epochs, 1, 1000)),
    inputSize: (INPUT_SIZES as readonly number[]).includes(size) ? size : d.inputSize,
    seed: Math.round(num(p.get('seed'), d.seed, 0, 2 ** 32 - 1)),
    augment: decodeAugment(p, d.augment),
    exactSeedBehaviour: bool(p.get('exact'), d.exactSeedBehaviour),
    schedule: decodeSchedule(p.get('sched'), d.schedule),
    earlyStoppingPatience: Math.round(num(p.get('patience'), d.earlyStoppingPatience, 0, 1000)),
    classWeighted: bool(p.get('weighted'), d.classWeighted),
    resizeMode: p.get('resize') === 'center-crop' ? 'center-crop' : p.get('resize') === 'stretch' ? 'stretch' : d.resizeMode,
  };
  return {
    train,
    validationFraction: num(p.get('val'), defaults.validationFraction, 0.01, 0.5),
    grouping: decodeGrouping(p.get('group'), defaults.grouping),
  };
}
