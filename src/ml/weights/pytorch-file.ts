/**
 * PyTorch's `torch.save` files (`.pth`, `.pt`) → a torchvision state dict, DOM-free and tf-free.
 *
 * Two containers: the zip archive of PyTorch ≥ 1.6 (`<name>/data.pkl`, `<name>/data/<key>` raw
 * little-endian storages, optionally `<name>/byteorder`), and the legacy stream of earlier versions
 * (magic number, protocol, system info, the object, the storage keys, then each storage's size and
 * bytes). Both pickles go through {@link pickleStream}'s allow-list. The state dict may be bare or
 * under `state_dict`, `model_state_dict` or `model` (a training checkpoint); DataParallel's
 * `module.` prefixes are removed and `num_batches_tracked` is left out.
 */
import { unzipSync } from 'fflate';
import { decodeToFloat32, DTYPE_BYTES } from './dtypes.ts';
import type { HostTensor } from './safetensors.ts';
import { PickleGlobalRefused, pickleStream, type StorageRef, type TensorRef } from './torch-pickle.ts';
import { convertedNote } from './weights-messages.ts';

/** A PyTorch file's state dict in torch layouts, and what was done to get it (for the user). */
export interface PytorchWeights {
  readonly tensors: Map<string, HostTensor>;
  /** Plain sentences: the format, where the state dict was found, prefixes removed, dtypes converted. */
  readonly notes: string[];
}

/** Keys of a training checkpoint under which the model's state dict is looked for, in this order. */
export const CHECKPOINT_KEYS = ['state_dict', 'model_state_dict', 'model'] as const;

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
/** `pickle.dumps(0x1950a86a20f9469cfc6c, protocol=2)`: how every legacy torch.save file begins. */
const LEGACY_MAGIC = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e];
const SAVE_AS_STATE_DICT = 'In PyTorch, save only the weights: torch.save(model.state_dict(), "weights.pth").';

const startsWith = (bytes: Uint8Array, magic: readonly number[]): boolean => magic.every((b, i) => bytes[i] === b);

/** True when `bytes` look like a torch.save file (zip archive or legacy stream). */
export function isPytorchFile(bytes: Uint8Array): boolean {
  return startsWith(bytes, ZIP_MAGIC) || startsWith(bytes, LEGACY_MAGIC);
}

/** A tar archive (`ustar` at 257): torch.save's format before PyTorch 0.4. */
export function isTar(bytes: Uint8Array): boolean {
  return new TextDecoder().decode(bytes.subarray(257, 262)) === 'ustar';
}

function truncated(name: string, bytes: Uint8Array, where: string): Error {
  return new Error(
    `${name} is cut short (${bytes.byteLength.toLocaleString('en')} bytes; ${where}): the file is truncated. Download or copy it again.`,
  );
}

/** Why a pickle could not be read, as a sentence for the user. */
function pickleProblem(name: string, bytes: Uint8Array, pickle: Uint8Array, err: unknown): Error {
  if (err instanceof PickleGlobalRefused) {
    const text = new TextDecoder('latin1').decode(pickle);
    const moduleClass = /^(torch\.nn|torchvision\.models|timm)(\.|$)/.test(err.pythonModule) || text.includes('torch.nn.modules');
    if (moduleClass)
      return new Error(
        `${name}: this file holds a pickled model class (${err.qualifiedName}), saved by torch.save(model); ` +
          `in PyTorch, save model.state_dict() instead: torch.save(model.state_dict(), "weights.pth"). ` +
          `Expression Lab reads only tensors from a pickle and never runs code from it.`,
      );
    return new Error(
      `${name}: its pickle names ${err.qualifiedName}, which is not part of a state dict, so the file is refused ` +
        `(Expression Lab reads only tensors and dicts from a pickle and never runs code from it). ${SAVE_AS_STATE_DICT}`,
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  if (/end of file|more bytes/i.test(message)) return truncated(name, bytes, 'its pickle ends before its STOP');
  return new Error(`${name} is not a readable PyTorch weights file (${message}). ${SAVE_AS_STATE_DICT}`);
}

/** The dict holding tensors: the object itself, or its state_dict / model_state_dict / model. */
function findStateDict(name: string, root: unknown, notes: string[]): Map<string, TensorRef> {
  const isTensorDict = (v: unknown): v is Map<string, TensorRef> =>
    v instanceof Map && v.size > 0 && [...v.values()].every((t) => (t as TensorRef | null)?.kind === 'tensor');
  if (isTensorDict(root)) return root;
  if (root instanceof Map) {
    for (const key of CHECKPOINT_KEYS) {
      const inner = root.get(key);
      if (isTensorDict(inner)) {
        const others = [...root.keys()].filter((k) => k !== key).map(String);
        const epoch = root.get('epoch');
        notes.push(
          `a training checkpoint: the weights under "${key}"${typeof epoch === 'number' ? ` (epoch ${epoch})` : ''}` +
            (others.length > 0 ? `; ignored ${others.join(', ')}` : ''),
        );
        return inner;
      }
    }
    const keys = [...root.keys()].map(String);
    throw new Error(
      `${name} holds a dict with ${keys.slice(0, 8).join(', ')}${keys.length > 8 ? ', …' : ''} but no state dict of tensors ` +
        `(looked at the dict itself and under ${CHECKPOINT_KEYS.join(', ')}). ${SAVE_AS_STATE_DICT}`,
    );
  }
  const what = (root as TensorRef | null)?.kind === 'tensor' ? 'a single tensor' : Array.isArray(root) ? 'a list or tuple' : typeof root;
  throw new Error(`${name} holds ${what}, not a state dict. ${SAVE_AS_STATE_DICT}`);
}

/** Copies one tensor's elements (any strides, shared storages) out of its storage's decoded values. */
function gather(ref: TensorRef, values: Float32Array, key: string): Float32Array {
  const count = ref.shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(count);
  if (count === 0) return out;
  let last = ref.offset;
  ref.shape.forEach((n, d) => (last += (n - 1) * (ref.stride[d] ?? 0)));
  if (last >= values.length) throw new Error(`tensor "${key}" reaches element ${last} of a ${values.length}-element storage`);
  const rank = ref.shape.length;
  const index = new Array<number>(rank).fill(0);
  for (let i = 0; i < count; i++) {
    let at = ref.offset;
    for (let d = 0; d < rank; d++) at += (index[d] ?? 0) * (ref.stride[d] ?? 0);
    out[i] = values[at] ?? 0;
    for (let d = rank - 1; d >= 0; d--) {
      index[d] = (index[d] ?? 0) + 1;
      if ((index[d] ?? 0) < (ref.shape[d] ?? 0)) break;
      index[d] = 0;
    }
  }
  return out;
}

/**
 * Turns the chosen dict's tensor references into float32 tensors. `storageBytes(key)` returns a
 * storage's raw bytes; each storage is decoded once, however many tensors view it.
 */
function materialize(dict: Map<string, TensorRef>, storageBytes: (key: string) => Uint8Array, notes: string[]): Map<string, HostTensor> {
  const decoded = new Map<string, Float32Array>();
  const tensors = new Map<string, HostTensor>();
  const converted = new Set<string>();
  let prefixed = 0;
  for (const [rawKey, ref] of dict) {
    const key = rawKey.startsWith('module.') ? rawKey.slice('module.'.length) : rawKey;
    if (key !== rawKey) prefixed++;
    if (key.endsWith('.num_batches_tracked')) continue;
    const storage: StorageRef = ref.storage;
    const cacheKey = `${storage.key}@${storage.viewOffset}`;
    let values = decoded.get(cacheKey);
    if (!values) {
      const bytes = storageBytes(storage.key);
      const size = DTYPE_BYTES[storage.dtype];
      const begin = storage.viewOffset * size;
      if (begin + storage.numel * size > bytes.byteLength)
        throw new Error(`storage ${storage.key} holds ${bytes.byteLength} bytes, fewer than its ${storage.numel} ${storage.dtype} values`);
      values = decodeToFloat32(storage.dtype, new DataView(bytes.buffer, bytes.byteOffset + begin, storage.numel * size), storage.numel);
      decoded.set(cacheKey, values);
    }
    if (storage.dtype !== 'float32') converted.add(storage.dtype);
    tensors.set(key, { shape: [...ref.shape], data: gather(ref, values, key) });
  }
  if (prefixed > 0) notes.push('removed DataParallel’s "module." prefixes');
  const note = convertedNote(converted);
  if (note) notes.push(note);
  return tensors;
}

function readZip(name: string, bytes: Uint8Array): PytorchWeights {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (err) {
    throw truncated(name, bytes, `its zip directory cannot be read: ${(err as Error).message}`);
  }
  const pickleName = Object.keys(files).find((path) => /^[^/]+\/data\.pkl$/.test(path) || path === 'data.pkl');
  if (!pickleName)
    throw new Error(
      `${name} is a zip archive without data.pkl: not a torch.save file. Give a .pth/.pt written by torch.save, or a .safetensors.`,
    );
  const root = pickleName.slice(0, -'data.pkl'.length);
  const byteorder = files[`${root}byteorder`];
  if (byteorder && new TextDecoder().decode(byteorder).trim() !== 'little')
    throw new Error(
      `${name} was saved on a big-endian machine (byteorder "${new TextDecoder().decode(byteorder).trim()}"); Expression Lab reads little-endian files. ` +
        'Load it in PyTorch on that machine and save it again with safetensors, or on a little-endian machine.',
    );
  const pickle = files[pickleName] as Uint8Array;
  let value: unknown;
  try {
    value = pickleStream(pickle).next();
  } catch (err) {
    throw pickleProblem(name, bytes, pickle, err);
  }
  const notes = ['PyTorch zip archive (torch.save)'];
  const dict = findStateDict(name, value, notes);
  const tensors = materialize(
    dict,
    (key) => {
      const data = files[`${root}data/${key}`];
      if (!data) throw truncated(name, bytes, `storage data/${key} is missing`);
      return data;
    },
    notes,
  );
  return { tensors, notes };
}

function readLegacy(name: string, bytes: Uint8Array): PytorchWeights {
  // The magic number is a 10-byte LONG1, past what pickleparser reads; it was matched byte for byte.
  const body = bytes.subarray(LEGACY_MAGIC.length);
  const stream = pickleStream(body);
  let value: unknown;
  let keys: unknown;
  try {
    const protocol = stream.next();
    if (protocol !== 1001) throw new Error(`legacy protocol ${String(protocol)}, not 1001`);
    const sysInfo = stream.next() as Map<string, unknown>;
    if (sysInfo instanceof Map && sysInfo.get('little_endian') === false)
      throw new Error('saved on a big-endian machine; Expression Lab reads little-endian files');
    value = stream.next();
    keys = stream.next();
  } catch (err) {
    throw pickleProblem(name, bytes, body, err);
  }
  const notes = ['PyTorch legacy format (before 1.6)'];
  const dict = findStateDict(name, value, notes);
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) throw new Error(`${name}: malformed legacy storage list`);
  // Each storage: its element count (int64, little-endian), then its bytes, in the order of `keys`.
  // Storages outside the state dict (an optimizer's) are skipped by size, so every tensor's dtype counts.
  const elementBytes = new Map<string, number>();
  for (const ref of tensorRefsIn(value)) elementBytes.set(ref.storage.key, DTYPE_BYTES[ref.storage.dtype]);
  const storages = new Map<string, Uint8Array>();
  let at = LEGACY_MAGIC.length + stream.position;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const key of keys as string[]) {
    if (at + 8 > bytes.byteLength) throw truncated(name, bytes, `storage ${key} is missing`);
    const count = Number(view.getBigInt64(at, true));
    const size = elementBytes.get(key);
    if (size === undefined) throw new Error(`${name}: storage ${key} is used by no tensor in the file`);
    const end = at + 8 + count * size;
    if (end > bytes.byteLength) throw truncated(name, bytes, `storage ${key} ends past the end of the file`);
    storages.set(key, bytes.subarray(at + 8, end));
    at = end;
  }
  const tensors = materialize(
    dict,
    (key) => {
      const data = storages.get(key);
      if (!data) throw new Error(`${name}: storage ${key} is not among the file's storages`);
      return data;
    },
    notes,
  );
  return { tensors, notes };
}

/** Every tensor reference anywhere in an unpickled value. */
function tensorRefsIn(value: unknown, out: TensorRef[] = []): TensorRef[] {
  if ((value as TensorRef | null)?.kind === 'tensor') out.push(value as TensorRef);
  else if (value instanceof Map) for (const v of value.values()) tensorRefsIn(v, out);
  else if (Array.isArray(value)) for (const v of value) tensorRefsIn(v, out);
  return out;
}

/**
 * Reads a torch.save file named `name` (for messages). Throws an Error whose message says what
 * the file is and what to do: a truncated file, a pickled model, a global outside the allow-list,
 * a big-endian file, or no state dict inside.
 */
export function readPytorchFile(name: string, bytes: Uint8Array): PytorchWeights {
  if (startsWith(bytes, ZIP_MAGIC)) return readZip(name, bytes);
  if (startsWith(bytes, LEGACY_MAGIC)) return readLegacy(name, bytes);
  if (isTar(bytes))
    throw new Error(
      `${name} is in torch.save's tar format (PyTorch before 0.4), which Expression Lab does not read. Load it in PyTorch and save model.state_dict() again.`,
    );
  throw new Error(`${name} is not a torch.save file (it starts with neither a zip header nor PyTorch's magic number).`);
}
