import { useEffect, useRef, useState } from 'react';
import styles from './TryIt.module.css';

/** Opens the webcam on request, shows it, and hands one frame to `onFrame`; the camera stops on close. */
export function Webcam({ disabled, onFrame }: { disabled: boolean; onFrame(video: HTMLVideoElement): void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (video.current) video.current.srcObject = stream;
    return () => stream?.getTracks().forEach((t) => t.stop());
  }, [stream]);
  const open = () => {
    setError(null);
    navigator.mediaDevices
      ?.getUserMedia({ video: { width: 320, height: 240 }, audio: false })
      .then(setStream, (err: Error) =>
        setError(`The webcam could not be opened: ${err.message}. Allow camera access, or choose an image instead.`),
      );
  };
  return (
    <div className={styles.webcam}>
      {stream ? (
        <>
          <video ref={video} autoPlay playsInline muted className={styles.video} aria-label="Webcam" />
          <div className={styles.inputs}>
            <button type="button" className="primary" disabled={disabled} onClick={() => video.current && onFrame(video.current)}>
              Take one frame
            </button>
            <button type="button" onClick={() => setStream(null)}>
              Close webcam
            </button>
          </div>
        </>
      ) : (
        <button type="button" disabled={disabled} onClick={open}>
          Use the webcam
        </button>
      )}
      {error && <p className={styles.error}>{error}</p>}
    </div>
  );
}
