import { useLab } from '../../state/store.ts';
import { INPUT_SIZES } from '../../state/config-defaults.ts';
import { Card } from '../common/Card.tsx';
import { useLabHandle } from '../common/lab-context.ts';
import { BackendPicker } from './BackendPicker.tsx';
import { WeightsFiles } from './WeightsFiles.tsx';
import { WeightsStatus } from './WeightsStatus.tsx';
import styles from './Model.module.css';

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
                {size === 48 ? ' (FER2013 native)' : size === 224 ? ' (ImageNet, slow)' : ''}
              </option>
            ))}
          </select>
          <p className={styles.hint}>Faces are resized to this. Larger is closer to ImageNet but far slower.</p>
        </div>
      </div>
      <div className={styles.field}>
        <label htmlFor="resize-mode">Images that are not square</label>
        <select id="resize-mode" value={resizeMode} onChange={(e) => update({ resizeMode: e.target.value as 'stretch' | 'center-crop' })}>
          <option value="stretch">Stretch to a square (FER2013 is square already)</option>
          <option value="center-crop">Crop the centre square</option>
        </select>
      </div>
    </Card>
  );
}
