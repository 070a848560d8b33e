/**
 * The setup in the URL hash, TensorFlow Playground style, so a link reproduces it:
 * `#regime=linear&lr=0,0,0,0,0,0,0.005&momentum=0.9&batch=64&epochs=10&size=48&seed=42&…`.
 * A key that is missing keeps its default; one that is present but invalid keeps its default too,
 * and says so ({@link readConfigHash}'s problems, shown to the user). A regime without valid `lr`
 * gets that regime's own rates, never another regime's.
 */
import { REGIME_IDS, REGIMES, RESNET_BLOCKS, type RegimeId } from '../shared/regimes.ts';
import type { AugmentConfig, LrSchedule, TrainConfig } from '../shared/types.ts';
import { DEFAULT_LAB_CONFIG, INPUT_SIZES, type GroupingConfig, type LabConfig } from './config-defaults.ts';

/** What went wrong while reading a hash: one sentence per key that could not be used. */
type Problems = string[];

/** A number of `key` in [min, max], or `fallback` (with a problem when the key was there but invalid). */
function num(p: URLSearchParams, problems: Problems, key: string, fallback: number, min: number, max: number): number {
  const raw = p.get(key);
  if (raw === null) return fallback;
  const n = raw === '' ? NaN : Number(raw);
  if (Number.isFinite(n) && n >= min && n <= max) return n;
  problems.push(`${key}=${raw} is not a number from ${min} to ${max}: kept ${fallback}`);
  return fallback;
}
const bool = (value: string | null, fallback: boolean): boolean => (value === '1' ? true : value === '0' ? false : fallback);

function encodeSchedule(s: LrSchedule): string {
  return s.kind === 'step' ? `step:${s.everyEpochs}:${s.gamma}` : s.kind;
}

/** A number in [min, max] from a part of a value, or `fallback`. */
function part(value: string | undefined, fallback: number, min: number, max: number): number {
  const n = value === undefined || value === '' ? NaN : Number(value);
  return Number.isFinite(n) && n >= min && n <= max ? n : fallback;
}

function decodeSchedule(value: string | null, fallback: LrSchedule, problems: Problems): LrSchedule {
  if (value === null) return fallback;
  if (value === 'constant' || value === 'cosine') return { kind: value };
  const [kind, every, gamma] = value.split(':');
  if (kind !== 'step') {
    problems.push(`sched=${value} is not constant, cosine or step:N:gamma: kept ${encodeSchedule(fallback)}`);
    return fallback;
  }
  return { kind: 'step', everyEpochs: Math.round(part(every, 3, 1, 1000)), gamma: part(gamma, 0.1, 0, 1) };
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
    hflip: { enabled: bool(fOn ?? null, d.hflip.enabled), p: part(fP, d.hflip.p, 0, 1) },
    rotate: { enabled: bool(rOn ?? null, d.rotate.enabled), degrees: part(rDeg, d.rotate.degrees, 0, 180) },
    perspective: {
      enabled: bool(pOn ?? null, d.perspective.enabled),
      distortion: part(pDist, d.perspective.distortion, 0, 1),
      p: part(pP, d.perspective.p, 0, 1),
    },
  };
}

function decodeGrouping(value: string | null, fallback: GroupingConfig): GroupingConfig {
  if (value === 'auto' || value === 'image') return { by: value, pattern: fallback.pattern };
  if (value?.startsWith('pattern:')) return { by: 'pattern', pattern: value.slice('pattern:'.length) };
  return fallback;
}

/**
 * The learning rates of a hash: its `lr` (seven numbers from 0 to 10, conv1 … fc) when valid, else the
 * rates of the regime it names (or of the default regime), with a problem when `lr` was there but invalid.
 */
function decodeRates(
  p: URLSearchParams,
  regime: RegimeId,
  named: boolean,
  d: TrainConfig,
  problems: Problems,
): TrainConfig['learningRates'] {
  const own = named ? { ...REGIMES[regime].learningRates } : { ...d.learningRates };
  const raw = p.get('lr');
  if (raw === null) return own;
  const values = raw.split(',').map((v) => (v.trim() === '' ? NaN : Number(v)));
  if (values.length === RESNET_BLOCKS.length && values.every((v) => Number.isFinite(v) && v >= 0 && v <= 10)) {
    const rates = { ...own };
    RESNET_BLOCKS.forEach((b, i) => (rates[b] = values[i]!));
    return rates;
  }
  problems.push(
    `lr=${raw} is not ${RESNET_BLOCKS.length} learning rates from 0 to 10 (${RESNET_BLOCKS.join(', ')}): used the ${REGIMES[regime].label} rates`,
  );
  return own;
}

/** The setup a hash describes, and a sentence for each key it has that could not be used. */
export function readConfigHash(hash: string, defaults: LabConfig = DEFAULT_LAB_CONFIG): { config: LabConfig; problems: string[] } {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const problems: Problems = [];
  const d = defaults.train;
  const regimeParam = p.get('regime');
  const named = REGIME_IDS.includes(regimeParam as RegimeId);
  if (regimeParam !== null && !named) problems.push(`regime=${regimeParam} is not one of ${REGIME_IDS.join(', ')}: kept ${d.regime}`);
  const regime = named ? (regimeParam as RegimeId) : d.regime;
  const size = num(p, problems, 'size', d.inputSize, 1, 1024);
  const sizeOffered = (INPUT_SIZES as readonly number[]).includes(size);
  if (!sizeOffered) problems.push(`size=${size} is not an input size the lab offers (${INPUT_SIZES.join(', ')}): kept ${d.inputSize}`);
  const resize = p.get('resize');
  if (resize !== null && resize !== 'stretch' && resize !== 'center-crop')
    problems.push(`resize=${resize} is not stretch or center-crop: kept ${d.resizeMode}`);
  const train: TrainConfig = {
    regime,
    learningRates: decodeRates(p, regime, named, d, problems),
    momentum: num(p, problems, 'momentum', d.momentum, 0, 0.999),
    batchSize: Math.round(num(p, problems, 'batch', d.batchSize, 1, 1024)),
    epochs: Math.round(num(p, problems, 'epochs', d.epochs, 1, 1000)),
    inputSize: sizeOffered ? size : d.inputSize,
    seed: Math.round(num(p, problems, 'seed', d.seed, 0, 2 ** 32 - 1)),
    augment: decodeAugment(p, d.augment),
    exactSeedBehaviour: bool(p.get('exact'), d.exactSeedBehaviour),
    schedule: decodeSchedule(p.get('sched'), d.schedule, problems),
    earlyStoppingPatience: Math.round(num(p, problems, 'patience', d.earlyStoppingPatience, 0, 1000)),
    classWeighted: bool(p.get('weighted'), d.classWeighted),
    resizeMode: resize === 'center-crop' ? 'center-crop' : resize === 'stretch' ? 'stretch' : d.resizeMode,
  };
  const config = {
    train,
    validationFraction: num(p, problems, 'val', defaults.validationFraction, 0.01, 0.5),
    grouping: decodeGrouping(p.get('group'), defaults.grouping),
  };
  return { config, problems };
}

/** The setup a hash describes ({@link readConfigHash} without its problems). */
export function decodeConfigHash(hash: string, defaults: LabConfig = DEFAULT_LAB_CONFIG): LabConfig {
  return readConfigHash(hash, defaults).config;
}
