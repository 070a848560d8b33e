/** Where `npm run weights` writes the converted pretrained model (TensorFlow.js layers format), relative to the app. */
export const LOCAL_MODEL_PATH = 'models/resnet50/model.json';

/** Cache Storage bucket holding downloaded weight files, keyed by their URL. */
const CACHE_NAME = 'expression-lab-weights-v1';

async function openCache(): Promise<Cache | null> {
  try {
    return typeof caches === 'undefined' ? null : await caches.open(CACHE_NAME);
  } catch {
    return null; // Cache Storage is unavailable in some private modes; downloads still work.
  }
}

/** The cached bytes of `url`, or null. */
export async function readCachedWeights(url: string): Promise<Uint8Array | null> {
  const response = await (await openCache())?.match(url);
  return response ? new Uint8Array(await response.arrayBuffer()) : null;
}

/**
 * Reads a response body to the end, reporting bytes so far (and Content-Length, when sent) at most
 * every `intervalMs` and once at the end. Shared by the app's worker and `npm run weights`.
 */
export async function readBodyWithProgress(
  response: Response,
  onProgress: (loadedBytes: number, totalBytes: number | null) => void,
  intervalMs = 100,
): Promise<Uint8Array<ArrayBuffer>> {
  if (!response.body) throw new Error(`the response from ${response.url} has no body`);
  const header = Number(response.headers.get('content-length'));
  const totalBytes = Number.isFinite(header) && header > 0 ? header : null;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  let lastReport = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    if (Date.now() - lastReport > intervalMs) {
      lastReport = Date.now();
      onProgress(loaded, totalBytes);
    }
  }
  onProgress(loaded, totalBytes);
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Downloads `url` with byte progress, stores it in Cache Storage so the next visit needs no
 * network, and returns the bytes. Offline or blocked: an Error that says what to do instead.
 */
export async function downloadWithProgress(
  url: string,
  onProgress: (loadedBytes: number, totalBytes: number | null) => void,
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { mode: 'cors' });
  } catch (err) {
    throw new Error(
      `Could not download the pretrained weights from ${url} (${err instanceof Error ? err.message : String(err)}). ` +
        'You seem to be offline or the address is blocked. Drop a ResNet50 .safetensors file, or choose random initialisation (not pretrained).',
    );
  }
  if (!response.ok || !response.body) {
    throw new Error(
      `Downloading the pretrained weights failed: HTTP ${response.status} from ${url}. Check the weights URL setting, or drop a .safetensors file.`,
    );
  }
  const bytes = await readBodyWithProgress(response, onProgress);
  await (await openCache())?.put(url, new Response(bytes, { headers: { 'content-type': 'application/octet-stream' } }));
  return bytes;
}

/** Deletes the cached weight files (the one stored copy of the pretrained weights). */
export async function forgetCachedWeights(): Promise<void> {
  if (typeof caches !== 'undefined') await caches.delete(CACHE_NAME);
}
