import { useEffect, useRef } from 'react';
import type { RawImage } from '../../shared/types.ts';
import { rawImageToImageData } from './raw-image.ts';
import styles from './common.module.css';

/** A RawImage drawn at its native resolution and shown `size` CSS pixels wide (pixelated). */
export function RawImageCanvas({ image, size, label }: { image: RawImage; size: number; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    ctx?.putImageData(rawImageToImageData(image), 0, 0);
  }, [image]);
  return (
    <canvas
      ref={ref}
      className={styles.pixelated}
      width={image.width}
      height={image.height}
      style={{ width: size, height: size }}
      role="img"
      aria-label={label}
      title={label}
    />
  );
}
