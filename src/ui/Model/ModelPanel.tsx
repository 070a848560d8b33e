import { useLab } from '../../state/store.ts';
import { INPUT_SIZES } from '../../state/config-defaults.ts';
import { Card } from '../common/Card.tsx';
import { useLabHandle } from '../common/lab-context.ts';
import { BackendPicker } from './BackendPicker.tsx';
import { WeightsFiles } from './WeightsFiles.tsx';
import { WeightsStatus } from './WeightsStatus.tsx';
import styles from './Model.module.css';

/** The side of the dataset's most common image size when its images are square ("48x48" → 48), else null. */
function squareSide(sizes: Readonly<Record<string, number>> | undefined): number | null {
  const [top] = Object.entries(sizes ?? {}).sort((a, b) => b[1] - a[1]);
  const [w, h] = (top?.[0] ?? '').split('x').map(Number);
  return w && w === h ? w : null;
}

/** The backbone's starting weights, the compute backend and the input size. */
export function ModelPanel() {
  const { commands } = useLabHandle();
  const url = useLab((s) => s.weights.url);
  const setUrl = useLab((s) => s.setWeightsUrl);
  const loading = useLab((s) => s.weights.status === 'loading');
  const seed = useLab((s) => s.config.train.seed);
  const inputSize = useLab((s) => s.config.train.inputSize);
  const resizeMode = useLab((s) => s.config.train.resizeMode);
  const update = useLab((s) => s.updateTrainConfig);
  const nativeSide = useLab((s) => squareSide(s.dataset.summary?.sizes));
  return (
    <Card id="model" title="2 · Model: ResNet50">
      <WeightsStatus />
      <div className={styles.buttons}>
        <button
          type="button"
          className="primary"
          disabled={loading}
          onClick={() => commands.loadWeights({ kind: 'pretrained', url, allowDownload: true })}
        >
          Load pretrained weights
        </button>
        <button type="button" disabled={loading} onClick={() => commands.loadWeights({ kind: 'random', seed })}>
          Use random initialisation
        </button>
      </div>
      <details className={styles.details}>
        <summary>Weights source and your own files</summary>
        <div className={styles.field}>
          <label htmlFor="weights-url">Pretrained weights URL (used only when they are not cached)</label>
          <input id="weights-url" type="url" value={url} onChange={(e) => setUrl(e.target.value)} spellCheck={false} />
        </div>
        <WeightsFiles disabled={loading} />
      </details>
      <div className={styles.row}>
        <BackendPicker />
        <div className={styles.field}>
          <label htmlFor="input-size">Input size</label>
          <select id="input-size" value={inputSize} onChange={(e) => update({ inputSize: Number(e.target.value) })}>
            {INPUT_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}×{size}
                {size === nativeSide ? ' (the dataset’s own size)' : size === 224 ? ' (ImageNet, slow)' : ''}
              </option>
            ))}
          </select>
          <p className={styles.hint}>Images are resized to this (FER2013’s are 48×48). Larger is closer to ImageNet but far slower.</p>
        </div>
      </div>
      <div className={styles.field}>
        <label htmlFor="resize-mode">Images that are not square</label>
        <select id="resize-mode" value={resizeMode} onChange={(e) => update({ resizeMode: e.target.value as 'stretch' | 'center-crop' })}>
          <option value="stretch">Stretch to a square (square images stay as they are)</option>
          <option value="center-crop">Crop the centre square</option>
        </select>
      </div>
    </Card>
  );
}
