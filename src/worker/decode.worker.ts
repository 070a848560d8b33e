/// <reference lib="webworker" />
/**
 * A decode worker: turns batches of encoded images into pixels, so an import decodes on several
 * cores while the import worker inflates the zip. Holds nothing between batches.
 */
import { createBrowserImageDecoder } from '../data/browser-decoder.ts';
import { decodeBatch, transferablesOfBatch, type DecodeBatch } from '../data/decode-batch.ts';
import { createWebCodecsImageDecoder } from '../data/webcodecs-decoder.ts';

declare const self: DedicatedWorkerGlobalScope;

const decode = createWebCodecsImageDecoder(createBrowserImageDecoder());

self.addEventListener('message', (event: MessageEvent<DecodeBatch>) => {
  void decodeBatch(event.data, decode).then((reply) => self.postMessage(reply, transferablesOfBatch(reply)));
});
