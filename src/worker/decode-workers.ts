/** Starts the import's decode workers (nested dedicated workers of the training worker). */
import type { DecodedBatch } from '../data/decode-batch.ts';
import { createDecoderPool, type DecoderPool, type DecodeWorkerPort } from '../data/decoder-pool.ts';
import type { ImageDecoder } from '../data/dataset.ts';

/** Decode workers per import: one per core (at least 2), at most 8. */
export function decodeWorkerCount(): number {
  return Math.max(2, Math.min(8, navigator.hardwareConcurrency || 2));
}

function spawnDecodeWorker(): DecodeWorkerPort {
  const worker = new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module', name: 'decode' });
  return {
    post: (batch, transfer) => worker.postMessage(batch, transfer),
    listen(onReply, onFailure) {
      worker.addEventListener('message', (event: MessageEvent<DecodedBatch>) => onReply(event.data));
      worker.addEventListener('error', (event) => onFailure(event.message || 'the decode worker failed to start'));
      worker.addEventListener('messageerror', () => onFailure('a decoded batch could not be read'));
    },
    terminate: () => worker.terminate(),
  };
}

/**
 * A pool of decode workers, or none (every image decoded by `fallback`) where workers cannot nest.
 * Aborting `signal` closes it; the caller closes it when the import ends.
 */
export function startDecodeWorkers(fallback: ImageDecoder, signal: AbortSignal): DecoderPool {
  const workers = typeof Worker === 'function' ? decodeWorkerCount() : 0;
  return createDecoderPool(spawnDecodeWorker, { workers, fallback, signal });
}
