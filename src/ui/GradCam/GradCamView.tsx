import { useState } from 'react';
import type { RawImage } from '../../shared/types.ts';
import { formatPercent } from '../common/format.ts';
import { HeatmapCanvas } from './HeatmapCanvas.tsx';
import { useGradCam } from './use-grad-cam.ts';
import styles from './GradCam.module.css';

/**
 * Where run `runId`'s model looks in `image` (Grad-CAM at layer4): for the predicted class, or any
 * class picked; an opacity slider fades between the image and the heat map.
 */
export function GradCamView(props: {
  runId: string;
  image: RawImage;
  classes: readonly string[];
  /** The class explained first (null: the predicted one), e.g. a confusion cell's predicted class. */
  initialClass?: number | null;
}) {
  const { runId, image, classes, initialClass = null } = props;
  const [classIndex, setClassIndex] = useState<number | null>(initialClass);
  const [opacity, setOpacity] = useState(0.5);
  const state = useGradCam(runId, image, classIndex);
  const reply = state.status === 'done' ? state.reply : null;
  const predicted = reply ? reply.probabilities.indexOf(Math.max(...reply.probabilities)) : null;
  const shown = reply ? reply.cam.classIndex : classIndex;
  return (
    <figure className={styles.view} aria-busy={state.status === 'loading'}>
      <div className={styles.frame}>
        {reply ? (
          <HeatmapCanvas
            image={reply.input}
            map={reply.cam.upsampled}
            opacity={opacity}
            size={160}
            label={`Where the model looks for ${classes[reply.cam.classIndex] ?? reply.cam.classIndex}`}
          />
        ) : (
          <p className={styles.hint}>{state.status === 'failed' ? `No heat map: ${state.message}` : 'Computing the heat map…'}</p>
        )}
      </div>
      <figcaption className={styles.controls}>
        <label>
          Explain class{' '}
          <select
            value={classIndex ?? ''}
            onChange={(e) => setClassIndex(e.target.value === '' ? null : Number(e.target.value))}
            aria-label="Class the heat map explains"
          >
            <option value="">predicted{predicted !== null ? ` (${classes[predicted]})` : ''}</option>
            {classes.map((name, i) => (
              <option key={name} value={i}>
                {name}
                {reply ? ` · ${formatPercent(reply.probabilities[i] ?? 0)}` : ''}
              </option>
            ))}
          </select>
        </label>
        <label>
          Opacity{' '}
          <input
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={opacity}
            onChange={(e) => setOpacity(Number(e.target.value))}
            aria-label="Heat map opacity"
          />
        </label>
        <span className={styles.hint}>
          Grad-CAM at layer4 for <strong>{shown === null ? 'the predicted class' : classes[shown]}</strong>: red is where evidence for it is
          strongest, blue where there is none.
        </span>
      </figcaption>
    </figure>
  );
}
