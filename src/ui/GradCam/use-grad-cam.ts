import { useEffect, useState } from 'react';
import type { ReplyOf } from '../../shared/protocol.ts';
import type { RawImage } from '../../shared/types.ts';
import { useLabHandle } from '../common/lab-context.ts';

/** Where a Grad-CAM request stands; `failed` carries the worker's words. */
export type GradCamState =
  | { readonly status: 'loading' }
  | { readonly status: 'done'; readonly reply: ReplyOf<'explain/gradCam'> }
  | { readonly status: 'failed'; readonly message: string };

/**
 * The Grad-CAM of `image` with run `runId` for `classIndex` (null: the predicted class), asked again
 * whenever one of them changes; a reply to an older question is dropped.
 */
export function useGradCam(runId: string, image: RawImage, classIndex: number | null): GradCamState {
  const { commands } = useLabHandle();
  const [state, setState] = useState<{ key: readonly unknown[]; value: GradCamState } | null>(null);
  const key = [runId, image, classIndex] as const;
  useEffect(() => {
    let current = true;
    const settle = (value: GradCamState) => current && setState({ key: [runId, image, classIndex], value });
    commands.explainGradCam(runId, image, classIndex).then(
      (reply) => settle({ status: 'done', reply }),
      (err: Error) => settle({ status: 'failed', message: err.message }),
    );
    return () => {
      current = false;
    };
  }, [commands, runId, image, classIndex]);
  const fresh = state && state.key.every((part, i) => part === key[i]);
  return fresh ? state.value : { status: 'loading' };
}
