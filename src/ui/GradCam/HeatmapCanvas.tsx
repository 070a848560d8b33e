import { useEffect, useRef } from 'react';
import { heatmapOverlay } from '../../shared/heatmap.ts';
import type { RawImage } from '../../shared/types.ts';
import styles from './GradCam.module.css';

/** The image as the model saw it with a Grad-CAM map (same size) blended over it, shown `size` CSS pixels wide. */
export function HeatmapCanvas(props: { image: RawImage; map: Float32Array; opacity: number; size: number; label: string }) {
  const { image, map, opacity, size, label } = props;
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = ref.current?.getContext('2d');
    context?.putImageData(new ImageData(heatmapOverlay(image, map, opacity), image.width, image.height), 0, 0);
  }, [image, map, opacity]);
  return (
    <canvas
      ref={ref}
      className={styles.canvas}
      width={image.width}
      height={image.height}
      style={{ width: size, height: size }}
      role="img"
      aria-label={label}
      data-testid="gradcam"
      data-opacity={opacity}
    />
  );
}
