/**
 * The page the `lab` CLI opens in headless Chromium: the same worker and protocol as the app, with
 * inputs fetched from the CLI's server and outputs handed back as downloads. Large buffers never
 * pass through Playwright's JSON channel.
 */
import { fnv1a } from '../shared/hash.ts';
import type { BridgeCommand, BridgeRequest } from '../shared/bridge.ts';
import type { Command, RequestCommand, WorkerEvent } from '../shared/protocol.ts';
import { LabClient } from './lab-client.ts';

declare global {
  interface Window {
    __lab: LabBridge;
    __labEvent?: (event: unknown) => void;
  }
}

interface LabBridge {
  readonly ready: Promise<void>;
  request(command: BridgeRequest): Promise<unknown>;
  send(command: BridgeCommand): Promise<void>;
}

/** `{ "$fetch": url }` anywhere in a command becomes that URL's bytes as an ArrayBuffer. */
async function resolveInputs(value: unknown): Promise<unknown> {
  if (Array.isArray(value)) return Promise.all(value.map(resolveInputs));
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.$fetch === 'string') {
      const response = await fetch(record.$fetch);
      if (!response.ok) throw new Error(`could not read ${record.$fetch}: HTTP ${response.status}`);
      return response.arrayBuffer();
    }
    const entries = await Promise.all(Object.entries(record).map(async ([k, v]) => [k, await resolveInputs(v)] as const));
    return Object.fromEntries(entries);
  }
  return value;
}

/**
 * Hands a file to the CLI as a browser download (Playwright saves it to disk). Not an upload: a
 * request body would be copied into the DevTools protocol's JSON, which breaks past ~100 MB.
 */
function download(name: string, data: ArrayBuffer): void {
  const url = URL.createObjectURL(new Blob([data]));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Buffers become downloads for the CLI (`{ downloaded: name }`); typed arrays become their size and hash. */
async function toJsonSafe(value: unknown, name = 'output.bin'): Promise<unknown> {
  if (value instanceof ArrayBuffer) {
    download(name, value);
    return { downloaded: name, bytes: value.byteLength };
  }
  if (ArrayBuffer.isView(value)) return { bytes: value.byteLength, fnv1a: fnv1a(value).toString(16).padStart(8, '0') };
  if (Array.isArray(value)) return Promise.all(value.map((v) => toJsonSafe(v, name)));
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const fileName = typeof record.name === 'string' ? record.name : name;
    const entries = await Promise.all(Object.entries(record).map(async ([k, v]) => [k, await toJsonSafe(v, fileName)] as const));
    return Object.fromEntries(entries);
  }
  return value;
}

const client = LabClient.start();
let markReady: () => void = () => undefined;
const ready = new Promise<void>((resolve) => (markReady = resolve));

client.subscribe((event: WorkerEvent) => {
  if (event.type === 'worker/ready') markReady();
  // Streamed events carry no buffers worth uploading; strip typed arrays and forward.
  if (event.type !== 'export/ready') void toJsonSafe(event).then((safe) => window.__labEvent?.(safe));
});

window.__lab = {
  ready,
  async request(command) {
    const resolved = (await resolveInputs(command)) as RequestCommand;
    return toJsonSafe(await client.request(resolved));
  },
  async send(command) {
    client.send((await resolveInputs(command)) as Command);
  },
};
