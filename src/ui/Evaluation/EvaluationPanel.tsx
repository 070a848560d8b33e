import { useState } from 'react';
import { BEST_EPOCH_RULE } from '../../shared/best-epoch.ts';
import { bestEpochOf } from '../../state/run-labels.ts';
import type { RawImage } from '../../shared/types.ts';
import { selectFocusedRunId, selectRun } from '../../state/selectors.ts';
import { useLab } from '../../state/store.ts';
import { Card } from '../common/Card.tsx';
import { useLabHandle } from '../common/lab-context.ts';
import { RawImageCanvas } from '../common/RawImageCanvas.tsx';
import { RunPicker } from '../common/RunPicker.tsx';
import { EditImage } from '../DatasetEdits/EditImage.tsx';
import { GradCamView } from '../GradCam/GradCamView.tsx';
import { ConfusionMatrix } from './ConfusionMatrix.tsx';
import { PerClassAccuracy } from './PerClassAccuracy.tsx';
import styles from './Evaluation.module.css';

interface Misclassified {
  readonly trueClass: number;
  readonly predictedClass: number;
  readonly status: 'loading' | 'done' | 'failed';
  readonly images: readonly (RawImage & { readonly path: string })[];
}

/** Confusion matrix and per-class accuracy on validation; click a cell to see the images behind it. */
export function EvaluationPanel() {
  const { commands } = useLabHandle();
  const runId = useLab(selectFocusedRunId);
  const run = useLab(selectRun(runId));
  const [normalised, setNormalised] = useState(false);
  const [cell, setCell] = useState<Misclassified | null>(null);
  const [explained, setExplained] = useState<number | null>(null);
  const bestEpoch = run ? (bestEpochOf(run)?.epoch ?? null) : null;
  const epoch = run && (run.epochs.find((e) => e.epoch === bestEpoch) ?? run.epochs[run.epochs.length - 1]);
  const classes = run?.classes ?? [];

  const openCell = (trueClass: number, predictedClass: number) => {
    if (!run || !epoch) return;
    setCell({ trueClass, predictedClass, status: 'loading', images: [] });
    setExplained(null);
    commands.listMisclassified(run.id, epoch.epoch, trueClass, predictedClass, 32).then(
      (images) => setCell({ trueClass, predictedClass, status: 'done', images }),
      () => setCell({ trueClass, predictedClass, status: 'failed', images: [] }),
    );
  };

  return (
    <Card id="evaluation" title="Evaluation (validation split)">
      <RunPicker label="Run to evaluate" />
      {run && epoch && (
        <>
          <div className={styles.toolbar}>
            <span className={styles.hint}>
              Epoch {epoch.epoch}
              {epoch.epoch === bestEpoch ? ` (best: ${BEST_EPOCH_RULE})` : ' (latest)'} · rows: true class, columns: predicted
            </span>
            <label className={styles.toggle}>
              <input type="checkbox" checked={normalised} onChange={(e) => setNormalised(e.target.checked)} /> Row-normalised
            </label>
          </div>
          <div className={styles.layout}>
            <ConfusionMatrix classes={classes} confusion={epoch.confusion} normalised={normalised} onCell={openCell} selected={cell} />
            <PerClassAccuracy classes={classes} accuracy={epoch.perClassAccuracy} />
          </div>
          {cell && (
            <div className={styles.misclassified} aria-live="polite">
              <p className={styles.hint}>
                True <strong>{classes[cell.trueClass]}</strong>, predicted <strong>{classes[cell.predictedClass]}</strong>:{' '}
                {cell.status === 'loading'
                  ? 'loading…'
                  : cell.status === 'failed'
                    ? 'could not be listed (see the message above).'
                    : `${cell.images.length} shown`}
              </p>
              <div className={styles.images}>
                {cell.images.map((image, i) => (
                  <button
                    key={i}
                    type="button"
                    className={`${styles.thumb} ${explained === i ? styles.selectedThumb : ''}`}
                    onClick={() => setExplained(explained === i ? null : i)}
                    aria-pressed={explained === i}
                    title="Show where the model looks (Grad-CAM)"
                  >
                    <RawImageCanvas
                      image={image}
                      size={64}
                      label={`Image ${i + 1}: true ${classes[cell.trueClass]}, predicted ${classes[cell.predictedClass]}`}
                    />
                  </button>
                ))}
              </div>
              {cell.images.length > 0 && explained === null && (
                <p className={styles.hint}>Click an image to see where the model looks (Grad-CAM, with the weights the run kept).</p>
              )}
              {explained !== null && cell.images[explained] && (
                <GradCamView
                  key={`${cell.trueClass}-${cell.predictedClass}-${explained}`}
                  runId={run.id}
                  image={cell.images[explained]}
                  classes={classes}
                  initialClass={cell.predictedClass}
                />
              )}
              {explained !== null && cell.images[explained] && (
                <EditImage split="validation" path={cell.images[explained].path} classes={classes} />
              )}
            </div>
          )}
        </>
      )}
    </Card>
  );
}
