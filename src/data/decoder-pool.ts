/**
 * Spreads image decoding over a few dedicated decode workers. `decode` calls made in the same task
 * are packed into batches (one transferred buffer each) and sent to the least busy worker; pixels
 * come back as transferred buffers. A worker that cannot start or dies hands its images to `fallback`.
 */
import type { RawImage } from '../shared/types.ts';
import type { ImageDecoder } from './dataset.ts';
import { packBatch, type DecodeBatch, type DecodedBatch } from './decode-batch.ts';
import { DECODE_CONCURRENCY } from './decode-pool.ts';
import { yieldToEventLoop } from '../shared/yield.ts';

/** One decode worker as the pool sees it: a `Worker` running `decode.worker.ts`, or a fake in tests. */
export interface DecodeWorkerPort {
  post(batch: DecodeBatch, transfer: Transferable[]): void;
  /** `onReply` for each decoded batch; `onFailure` if the worker dies (its script failed to load, it crashed). */
  listen(onReply: (reply: DecodedBatch) => void, onFailure: (reason: string) => void): void;
  terminate(): void;
}

/** A decoder backed by workers; `close()` terminates them (they hold nothing but codecs). */
export interface DecoderPool {
  readonly decode: ImageDecoder;
  /** Decode workers that started and are still alive. */
  readonly workerCount: () => number;
  close(): void;
}

export interface DecoderPoolOptions {
  readonly workers: number;
  /** Decodes in this thread when no decode worker is alive. */
  readonly fallback: ImageDecoder;
  /** Encoded bytes per batch before it is cut short (large photos go a few at a time). */
  readonly maxBatchBytes?: number;
  /** The import's signal: aborting closes the pool, so a cancelled import does not wait for the decodes in flight. */
  readonly signal?: AbortSignal;
}

interface DecodeRequest {
  readonly bytes: Uint8Array;
  readonly path: string;
  resolve(image: RawImage): void;
  reject(error: Error): void;
}

interface Member {
  readonly port: DecodeWorkerPort;
  readonly batches: Map<number, DecodeRequest[]>;
  imagesInFlight: number;
  alive: boolean;
}

/**
 * Images per batch: the import keeps `DECODE_CONCURRENCY` decodes in flight, so each worker gets
 * about two batches and has the next one queued while the first one's pixels travel back.
 */
export function batchImagesFor(workers: number): number {
  return Math.max(1, Math.min(32, Math.floor(DECODE_CONCURRENCY / (2 * Math.max(1, workers)))));
}

/** A pool of `options.workers` decode workers started with `spawn` on the first decode (one that throws is left out). */
export function createDecoderPool(spawn: () => DecodeWorkerPort, options: DecoderPoolOptions): DecoderPool {
  const maxImages = batchImagesFor(options.workers);
  const maxBytes = options.maxBatchBytes ?? 8 * 1024 ** 2;
  const members: Member[] = [];
  const queue: DecodeRequest[] = [];
  let nextBatchId = 0;
  let flushScheduled = false;
  let closed = false;

  const decodeHere = (request: DecodeRequest): void => {
    options.fallback(request.bytes, request.path).then(request.resolve, request.reject);
  };

  const settle = (member: Member, reply: DecodedBatch): void => {
    const requests = member.batches.get(reply.batchId);
    if (!requests) return;
    member.batches.delete(reply.batchId);
    member.imagesInFlight -= requests.length;
    requests.forEach((request, index) => {
      const outcome = reply.outcomes[index];
      if (outcome === undefined) request.reject(new Error('the decode worker returned no result for this image'));
      else if ('error' in outcome) request.reject(outcome.outOfMemory ? new RangeError(outcome.error) : new Error(outcome.error));
      else request.resolve(outcome);
    });
  };

  const fail = (member: Member): void => {
    if (!member.alive) return;
    member.alive = false;
    member.port.terminate();
    const orphans = [...member.batches.values()].flat();
    member.batches.clear();
    member.imagesInFlight = 0;
    if (!closed) orphans.forEach(decodeHere);
  };

  let started = false;
  // Workers start on the first decode, so a CSV or demo import starts none.
  const start = (): void => {
    started = true;
    for (let i = 0; i < options.workers; i++) {
      try {
        const member: Member = { port: spawn(), batches: new Map(), imagesInFlight: 0, alive: true };
        member.port.listen(
          (reply) => settle(member, reply),
          () => fail(member),
        );
        members.push(member);
      } catch {
        // A realm without nested workers: the images go to the fallback decoder instead.
      }
    }
  };

  const flush = (): void => {
    flushScheduled = false;
    while (queue.length > 0 && !closed) {
      const alive = members.filter((m) => m.alive);
      const member = alive.reduce<Member | undefined>(
        (best, m) => (best === undefined || m.imagesInFlight < best.imagesInFlight ? m : best),
        undefined,
      );
      if (!member) {
        queue.splice(0).forEach(decodeHere);
        return;
      }
      let bytes = 0;
      let count = 0;
      while (count < queue.length && count < maxImages && (count === 0 || bytes + (queue[count]?.bytes.byteLength ?? 0) <= maxBytes)) {
        bytes += queue[count]?.bytes.byteLength ?? 0;
        count++;
      }
      const requests = queue.splice(0, count);
      const batch = packBatch(nextBatchId++, requests);
      member.batches.set(batch.batchId, requests);
      member.imagesInFlight += requests.length;
      member.port.post(batch, [batch.bytes]);
    }
  };

  const decode: ImageDecoder = (bytes, path) => {
    if (closed) return Promise.reject(new Error('the image decoders were closed'));
    if (!started) start();
    if (!members.some((m) => m.alive)) return options.fallback(bytes, path);
    return new Promise<RawImage>((resolve, reject) => {
      queue.push({ bytes, path, resolve, reject });
      if (!flushScheduled) {
        flushScheduled = true;
        // Every decode the current task starts goes out together, one batch per worker.
        void yieldToEventLoop().then(flush);
      }
    });
  };

  const close = (): void => {
    if (closed) return;
    closed = true;
    options.signal?.removeEventListener('abort', close);
    const abandoned = [...queue.splice(0), ...members.flatMap((m) => [...m.batches.values()].flat())];
    for (const member of members) {
      member.alive = false;
      member.batches.clear();
      member.port.terminate();
    }
    for (const request of abandoned) request.reject(new Error('the image decoders were closed'));
  };
  if (options.signal?.aborted) close();
  else options.signal?.addEventListener('abort', close);

  return { decode, workerCount: () => members.filter((m) => m.alive).length, close };
}
