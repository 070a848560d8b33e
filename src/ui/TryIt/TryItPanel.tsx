import { useState } from 'react';
import type { RawImage } from '../../shared/types.ts';
import { selectFocusedRunId, selectRun } from '../../state/selectors.ts';
import { useLab } from '../../state/store.ts';
import { Card } from '../common/Card.tsx';
import { useLabHandle } from '../common/lab-context.ts';
import { RawImageCanvas } from '../common/RawImageCanvas.tsx';
import { RunPicker } from '../common/RunPicker.tsx';
import { toRawImage } from '../common/raw-image.ts';
import { GradCamView } from '../GradCam/GradCamView.tsx';
import { Probabilities } from './Probabilities.tsx';
import { Webcam } from './Webcam.tsx';
import styles from './TryIt.module.css';

type Prediction =
  | { status: 'idle' }
  | { status: 'busy' }
  | { status: 'done'; probabilities: readonly number[]; classes: readonly string[] }
  | { status: 'failed' };

/** Classify a new face (file or one webcam frame) with a trained run. */
export function TryItPanel() {
  const { commands } = useLabHandle();
  const runId = useLab(selectFocusedRunId);
  const run = useLab(selectRun(runId));
  const pushMessage = useLab((s) => s.pushMessage);
  const [image, setImage] = useState<RawImage | null>(null);
  const [prediction, setPrediction] = useState<Prediction>({ status: 'idle' });
  const usable = run && run.epochs.length > 0 ? run : undefined;

  const predict = (source: Blob | HTMLVideoElement) => {
    if (!usable) return;
    setPrediction({ status: 'busy' });
    toRawImage(source).then(
      (raw) => {
        setImage(raw);
        // The worker takes ownership of the pixels' buffer, so send a copy and keep ours for display.
        const sent = { ...raw, pixels: raw.pixels.slice() };
        commands.predictImage(usable.id, sent).then(
          (reply) => setPrediction({ status: 'done', probabilities: reply.probabilities, classes: reply.classes }),
          () => setPrediction({ status: 'failed' }),
        );
      },
      (err: Error) => {
        setPrediction({ status: 'failed' });
        pushMessage({ title: 'That image could not be read', detail: err.message, hint: 'Use a JPEG, PNG or WebP file, or the webcam.' });
      },
    );
  };

  return (
    <Card id="try-it" title="Try it">
      <RunPicker label="Model from run" />
      <div className={styles.inputs}>
        <label className={styles.pick}>
          Choose an image…
          <input
            className="visually-hidden"
            type="file"
            accept="image/*"
            disabled={!usable}
            onChange={(e) => e.target.files?.[0] && predict(e.target.files[0])}
          />
        </label>
        <Webcam disabled={!usable} onFrame={predict} />
      </div>
      <div className={styles.result}>
        {image && <RawImageCanvas image={image} size={96} label="The image being classified" />}
        {prediction.status === 'busy' && <p className={styles.hint}>Classifying…</p>}
        {prediction.status === 'failed' && <p className={styles.hint}>No prediction (see the message above).</p>}
        {prediction.status === 'done' && <Probabilities classes={prediction.classes} probabilities={prediction.probabilities} />}
      </div>
      {usable && image && prediction.status === 'done' && <GradCamView runId={usable.id} image={image} classes={prediction.classes} />}
    </Card>
  );
}
