import { describe, expect, it } from 'vitest';
import type { ImageDecoder } from './dataset.ts';
import { decodeBatch, packBatch, transferablesOfBatch, type DecodeBatch, type DecodedBatch } from './decode-batch.ts';
import { batchImagesFor, createDecoderPool, type DecodeWorkerPort } from './decoder-pool.ts';
import { importDataset } from './import-dataset.ts';
import { headerDecoder } from './testing/header-decoder.ts';
import { archiveSource, classFolders, makeZip, tinyJpeg, tinyPng } from './testing/zips.ts';
import { jpegComponentCount } from './webcodecs-decoder.ts';

/** A decode worker run in this thread: replies on a later task, as a real one would. */
function fakeWorker(decode: ImageDecoder, log: { batches: number[]; terminated: number }): () => DecodeWorkerPort {
  return () => {
    let reply: ((r: DecodedBatch) => void) | null = null;
    let failure: ((reason: string) => void) | null = null;
    const port: DecodeWorkerPort & { crash(): void } = {
      post(batch: DecodeBatch, transfer: Transferable[]) {
        expect(transfer).toEqual([batch.bytes]);
        log.batches.push(batch.ends.length);
        void decodeBatch(structuredClone(batch), decode).then((r) => setTimeout(() => reply?.(r), 0));
      },
      listen(onReply, onFailure) {
        reply = onReply;
        failure = onFailure;
      },
      terminate() {
        log.terminated++;
        reply = null;
      },
      crash() {
        failure?.('crashed');
      },
    };
    return port;
  };
}

describe('decode batches', () => {
  it('packs images back to back and decodes each from its own slice, errors as outcomes', async () => {
    const images = [tinyJpeg(3, 2), new Uint8Array([1, 2, 3]), tinyPng(4, 5)];
    const batch = packBatch(
      7,
      images.map((bytes, i) => ({ bytes, path: `p${i}` })),
    );
    expect(batch.ends).toEqual([images[0]!.length, images[0]!.length + 3, images[0]!.length + 3 + images[2]!.length]);
    const reply = await decodeBatch(batch, headerDecoder);
    expect(reply.batchId).toBe(7);
    expect(reply.outcomes.map((o) => ('error' in o ? 'error' : `${o.width}x${o.height}`))).toEqual(['3x2', 'error', '4x5']);
    expect(transferablesOfBatch(reply)).toHaveLength(2);
  });
});

describe('decoder pool', () => {
  it('batches the decodes of one task across workers and resolves each with its own image', async () => {
    const log = { batches: [] as number[], terminated: 0 };
    const pool = createDecoderPool(fakeWorker(headerDecoder, log), { workers: 2, fallback: () => Promise.reject(new Error('unused')) });
    const sizes = Array.from({ length: 100 }, (_, i) => 1 + (i % 9));
    const images = await Promise.all(sizes.map((w) => pool.decode(tinyJpeg(w, 2), `${w}.jpg`)));
    expect(images.map((image) => image.width)).toEqual(sizes);
    expect(log.batches.reduce((a, b) => a + b, 0)).toBe(100);
    expect(Math.max(...log.batches)).toBe(batchImagesFor(2));
    expect(log.batches.length).toBeLessThan(10);
    pool.close();
    expect(log.terminated).toBe(2);
    await expect(pool.decode(tinyJpeg(1, 1), 'late.jpg')).rejects.toThrow(/closed/);
  });

  it('starts its workers on the first decode, not before', async () => {
    let spawned = 0;
    const spawnFake = fakeWorker(headerDecoder, { batches: [], terminated: 0 });
    const pool = createDecoderPool(
      () => {
        spawned++;
        return spawnFake();
      },
      { workers: 3, fallback: headerDecoder },
    );
    expect(spawned).toBe(0);
    await pool.decode(tinyJpeg(2, 2), 'a.jpg');
    expect(spawned).toBe(3);
    pool.close();
  });

  it('rejects a bad image with the worker’s reason, and an out-of-memory one with a RangeError', async () => {
    const decode: ImageDecoder = async (bytes, path) => {
      if (path === 'huge.jpg') throw new RangeError('Array buffer allocation failed');
      return headerDecoder(bytes, path);
    };
    const pool = createDecoderPool(fakeWorker(decode, { batches: [], terminated: 0 }), { workers: 1, fallback: decode });
    const [bad, huge, good] = await Promise.allSettled([
      pool.decode(new Uint8Array([0]), 'bad.jpg'),
      pool.decode(tinyJpeg(2, 2), 'huge.jpg'),
      pool.decode(tinyJpeg(2, 2), 'good.jpg'),
    ]);
    expect(bad).toMatchObject({
      status: 'rejected',
      reason: { message: expect.stringMatching(/.+/) },
    });
    expect(huge.status === 'rejected' && huge.reason instanceof RangeError).toBe(true);
    expect(good).toMatchObject({
      status: 'fulfilled',
      value: { width: 2, height: 2 },
    });
    pool.close();
  });

  it('decodes in this thread when no worker starts, and re-decodes a dead worker’s images here', async () => {
    let fallbackCalls = 0;
    const fallback: ImageDecoder = (bytes, path) => {
      fallbackCalls++;
      return headerDecoder(bytes, path);
    };
    const none = createDecoderPool(
      () => {
        throw new Error('no nested workers');
      },
      { workers: 2, fallback },
    );
    expect(none.workerCount()).toBe(0);
    expect((await none.decode(tinyJpeg(3, 3), 'a.jpg')).width).toBe(3);
    expect(fallbackCalls).toBe(1);

    const ports: (DecodeWorkerPort & { crash(): void })[] = [];
    const silent = (): DecodeWorkerPort & { crash(): void } => {
      let failure: ((reason: string) => void) | null = null;
      const port = {
        post: () => undefined,
        listen: (_: unknown, onFailure: (r: string) => void) => void (failure = onFailure),
        terminate: () => undefined,
        crash: () => failure?.('crashed'),
      };
      ports.push(port);
      return port;
    };
    const dying = createDecoderPool(silent, { workers: 1, fallback });
    const pending = Promise.all([dying.decode(tinyJpeg(4, 4), 'b.jpg'), dying.decode(tinyJpeg(5, 5), 'c.jpg')]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    ports[0]?.crash();
    expect((await pending).map((image) => image.width)).toEqual([4, 5]);
    expect(dying.workerCount()).toBe(0);
    expect(fallbackCalls).toBe(3);
  });

  it('rejects the decodes in flight and terminates its workers as soon as the signal aborts', async () => {
    const log = { batches: [] as number[], terminated: 0 };
    const never: ImageDecoder = () => new Promise(() => undefined);
    const controller = new AbortController();
    const pool = createDecoderPool(fakeWorker(never, log), { workers: 2, fallback: never, signal: controller.signal });
    const pending = Promise.allSettled([pool.decode(tinyJpeg(2, 2), 'a.jpg'), pool.decode(tinyJpeg(2, 2), 'b.jpg')]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(log.batches).toEqual([2]);
    controller.abort();
    expect((await pending).map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(log.terminated).toBe(2);
  });

  it('imports a zip through the pool exactly as with the decoder called directly', async () => {
    const zip = makeZip({
      ...classFolders('train/', ['a', 'b'], 150),
      'train/a/bad.jpg': tinyJpeg(4, 4, { truncated: true }),
    });
    const direct = await importDataset(archiveSource('x.zip', zip), {}, { decode: headerDecoder });
    const pool = createDecoderPool(fakeWorker(headerDecoder, { batches: [], terminated: 0 }), { workers: 3, fallback: headerDecoder });
    const pooled = await importDataset(archiveSource('x.zip', zip), {}, { decode: pool.decode });
    pool.close();
    const { importMs: _a, ...directSummary } = direct.summary;
    const { importMs: _b, ...pooledSummary } = pooled.summary;
    expect(pooledSummary).toEqual(directSummary);
    expect(pooled.summary.skipped).toEqual([
      {
        path: 'train/a/bad.jpg',
        reason: 'truncated JPEG (no end-of-image marker)',
      },
    ]);
  });
});

describe('jpegComponentCount', () => {
  it('reads 1 for grayscale and 3 for colour from the start-of-frame header, null without one', () => {
    expect(jpegComponentCount(tinyJpeg(2, 2))).toBe(1);
    expect(jpegComponentCount(tinyJpeg(2, 2, { gray: false }))).toBe(3);
    const withApp0 = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x4a, 0x46, ...tinyJpeg(2, 2, { gray: false }).subarray(2)]);
    expect(jpegComponentCount(withApp0)).toBe(3);
    expect(jpegComponentCount(new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0, 8, 1, 1, 0, 0, 0x3f, 0, 0xff, 0xd9]))).toBeNull();
  });
});
