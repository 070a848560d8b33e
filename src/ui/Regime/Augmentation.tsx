import { useState } from 'react';
import type { AugmentConfig, RawImage } from '../../shared/types.ts';
import { useLab } from '../../state/store.ts';
import { useLabHandle } from '../common/lab-context.ts';
import { NumberField } from '../common/NumberField.tsx';
import { ProgressBar } from '../common/ProgressBar.tsx';
import { RawImageCanvas } from '../common/RawImageCanvas.tsx';
import styles from './Regime.module.css';

/** The study's three torchvision augmentations, their parameters, and a preview grid from the worker. */
export function Augmentation() {
  const { commands } = useLabHandle();
  const augment = useLab((s) => s.config.train.augment);
  const hasData = useLab((s) => s.dataset.status === 'loaded');
  const update = useLab((s) => s.updateTrainConfig);
  const [preview, setPreview] = useState<{ busy: boolean; images: readonly RawImage[] }>({ busy: false, images: [] });
  const set = <K extends keyof AugmentConfig>(key: K, patch: Partial<AugmentConfig[K]>) =>
    update({ augment: { ...augment, [key]: { ...augment[key], ...patch } } });
  const runPreview = () => {
    setPreview((p) => ({ ...p, busy: true }));
    commands.previewAugment(12).then(
      (images) => setPreview({ busy: false, images }),
      () => setPreview((p) => ({ ...p, busy: false })),
    );
  };
  return (
    <fieldset className={styles.group}>
      <legend>Augmentation (training images only)</legend>
      <div className={styles.augment}>
        <label className={styles.check}>
          <input type="checkbox" checked={augment.hflip.enabled} onChange={(e) => set('hflip', { enabled: e.target.checked })} /> Horizontal
          flip
        </label>
        <NumberField
          label="probability"
          value={augment.hflip.p}
          min={0}
          max={1}
          step={0.05}
          disabled={!augment.hflip.enabled}
          onChange={(p) => set('hflip', { p })}
        />
        <label className={styles.check}>
          <input type="checkbox" checked={augment.rotate.enabled} onChange={(e) => set('rotate', { enabled: e.target.checked })} /> Rotation
        </label>
        <NumberField
          label="± degrees"
          value={augment.rotate.degrees}
          min={0}
          max={180}
          step={1}
          disabled={!augment.rotate.enabled}
          onChange={(degrees) => set('rotate', { degrees })}
        />
        <label className={styles.check}>
          <input
            type="checkbox"
            checked={augment.perspective.enabled}
            onChange={(e) => set('perspective', { enabled: e.target.checked })}
          />{' '}
          Perspective
        </label>
        <div className={styles.pair}>
          <NumberField
            label="distortion"
            value={augment.perspective.distortion}
            min={0}
            max={1}
            step={0.05}
            disabled={!augment.perspective.enabled}
            onChange={(distortion) => set('perspective', { distortion })}
          />
          <NumberField
            label="probability"
            value={augment.perspective.p}
            min={0}
            max={1}
            step={0.05}
            disabled={!augment.perspective.enabled}
            onChange={(p) => set('perspective', { p })}
          />
        </div>
      </div>
      <p className={styles.hint}>Small random changes so the model learns faces, not exact pixels. Defaults are the study’s.</p>
      <div>
        <button type="button" onClick={runPreview} disabled={preview.busy || !hasData} title={hasData ? undefined : 'Load a dataset first'}>
          {preview.busy ? 'Drawing…' : 'Preview'}
        </button>
        {!hasData && <span className={styles.hint}> Load a dataset to preview.</span>}
      </div>
      {preview.busy && <ProgressBar label="Drawing augmented samples in the worker…" value={null} />}
      {preview.images.length > 0 && (
        <div className={styles.previewGrid} aria-label="Augmented samples">
          {preview.images.map((image, i) => (
            <RawImageCanvas key={i} image={image} size={56} label={`Augmented sample ${i + 1}`} />
          ))}
        </div>
      )}
    </fieldset>
  );
}
