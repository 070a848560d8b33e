/**
 * The pickle inside a `torch.save` file, read with an allow-list. A pickle is a program: every
 * GLOBAL it names would be imported and called by Python's unpickler. Here the only names that
 * resolve are the few a state dict needs, each to a small pure function of this module; any other
 * name (a model class, `os.system`, …) stops the read with a {@link PickleGlobalRefused} before
 * anything else happens. Nothing from the file is executed or emulated.
 *
 * Parsing is npm's `pickleparser` (protocols 0–5, no dependencies, no eval), with our own name,
 * persistent-id and extension resolvers in place of its permissive defaults.
 */
import { BufferReader, Parser } from 'pickleparser';
import type { WeightDtype } from './dtypes.ts';

/** A storage named by a persistent id: its key in the file (`data/<key>`), element type and length. */
export interface StorageRef {
  readonly kind: 'storage';
  readonly key: string;
  readonly dtype: WeightDtype;
  /** Elements in the storage. */
  readonly numel: number;
  /** Legacy files only: this storage is a view starting `viewOffset` elements into storage `key`. */
  readonly viewOffset: number;
}

/** A tensor as `torch._utils._rebuild_tensor_v2` describes it: a strided window on a storage. */
export interface TensorRef {
  readonly kind: 'tensor';
  readonly storage: StorageRef;
  /** In elements. */
  readonly offset: number;
  readonly shape: readonly number[];
  readonly stride: readonly number[];
}

/** The pickle named a global that no state dict needs: `qualifiedName` as written in the file (`module.name`). */
export class PickleGlobalRefused extends Error {
  readonly qualifiedName: string;
  constructor(
    readonly pythonModule: string,
    pythonName: string,
  ) {
    super(`the pickle names ${pythonModule}.${pythonName}, which a state dict does not need`);
    this.name = 'PickleGlobalRefused';
    this.qualifiedName = `${pythonModule}.${pythonName}`;
  }
}

/** torch's typed storage classes (`torch.FloatStorage` …) and the element type each holds. */
const STORAGE_DTYPES: Readonly<Record<string, WeightDtype>> = {
  FloatStorage: 'float32',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  DoubleStorage: 'float64',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
};

/** What `torch.FloatStorage` and its siblings resolve to: a marker naming the element type. */
interface StorageType {
  readonly kind: 'storage-type';
  readonly dtype: WeightDtype;
}

const isIntList = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => Number.isInteger(x) && x >= 0);

function malformed(what: string): Error {
  return new Error(`malformed state dict pickle: ${what}`);
}

/** `collections.OrderedDict(...)`: a Map (pickle's SETITEMS fills it); its `_metadata` state is dropped. */
function orderedDict(...args: unknown[]): Map<unknown, unknown> {
  const dict = new Map<unknown, unknown>();
  const items = args[0];
  if (Array.isArray(items)) for (const pair of items) if (Array.isArray(pair) && pair.length === 2) dict.set(pair[0], pair[1]);
  // BUILD calls __setstate__ when present: OrderedDict's state is attributes (`_metadata`), not items.
  Object.defineProperty(dict, '__setstate__', { value: () => undefined, enumerable: false });
  return dict;
}

/** `torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks, [metadata])`. */
function rebuildTensor(storage: unknown, offset: unknown, shape: unknown, stride: unknown): TensorRef {
  if (!storage || (storage as StorageRef).kind !== 'storage') throw malformed('a tensor without a storage');
  if (!Number.isInteger(offset) || (offset as number) < 0) throw malformed(`a tensor with storage offset ${String(offset)}`);
  if (!isIntList(shape) || !isIntList(stride) || shape.length !== stride.length)
    throw malformed(`a tensor with size ${JSON.stringify(shape)} and stride ${JSON.stringify(stride)}`);
  return { kind: 'tensor', storage: storage as StorageRef, offset: offset as number, shape, stride };
}

/** `torch._utils._rebuild_parameter(data, requires_grad, backward_hooks)`: a state dict saved with keep_vars=True. */
function rebuildParameter(data: unknown): TensorRef {
  if (!data || (data as TensorRef).kind !== 'tensor') throw malformed('a parameter without a tensor');
  return data as TensorRef;
}

/** Resolves the allowed globals; throws {@link PickleGlobalRefused} for everything else. */
function resolveGlobal(module: string, name: string): (...args: unknown[]) => unknown {
  if (module === 'collections' && name === 'OrderedDict') return orderedDict;
  if (module === 'torch._utils' && name === '_rebuild_tensor_v2') return rebuildTensor as (...args: unknown[]) => unknown;
  if (module === 'torch._utils' && name === '_rebuild_parameter') return rebuildParameter;
  const dtype = module === 'torch' ? STORAGE_DTYPES[name] : undefined;
  if (dtype) {
    // Only ever an element of a persistent id; calling it is not something a state dict does.
    const marker = () => {
      throw malformed(`torch.${name} called`);
    };
    return Object.assign(marker, { kind: 'storage-type', dtype } satisfies StorageType);
  }
  throw new PickleGlobalRefused(module, name);
}

/**
 * A persistent id: `('storage', storage_type, key, location, numel)`, with a sixth element
 * `view_metadata` (`(key, offset, size)` or None) in the legacy format.
 */
function resolveStorage(pid: unknown): StorageRef {
  if (!Array.isArray(pid) || pid[0] !== 'storage') throw malformed(`persistent id ${JSON.stringify(pid)} is not a storage`);
  const [, type, key, , numel, view] = pid as [string, StorageType | undefined, unknown, unknown, unknown, unknown];
  if (!type || type.kind !== 'storage-type') throw malformed('a storage without a storage type');
  if (typeof key !== 'string' || !Number.isInteger(numel)) throw malformed(`storage ${String(key)} of ${String(numel)} elements`);
  let viewOffset = 0;
  if (Array.isArray(view)) {
    const [, offset, size] = view as unknown[];
    if (!Number.isInteger(offset) || !Number.isInteger(size)) throw malformed(`storage view ${JSON.stringify(view)}`);
    viewOffset = offset as number;
    return { kind: 'storage', key, dtype: type.dtype, numel: size as number, viewOffset };
  }
  return { kind: 'storage', key, dtype: type.dtype, numel: numel as number, viewOffset };
}

function restrictedParser(): Parser {
  return new Parser({
    nameResolver: { resolve: resolveGlobal },
    persistentResolver: { resolve: resolveStorage },
    extensionResolver: {
      resolve: (code: number) => {
        throw new PickleGlobalRefused('copyreg extension', String(code));
      },
    },
    unpicklingTypeOfDictionary: 'Map',
    unpicklingTypeOfSet: 'array',
  });
}

/**
 * Reads pickles one after another from `bytes` (the legacy format stores several back to back).
 * Each `next()` returns one unpickled value: dicts as Maps, tuples and lists as arrays, tensors as
 * {@link TensorRef}. `position` is the offset just past the last pickle read.
 */
export function pickleStream(bytes: Uint8Array): { next(): unknown; readonly position: number } {
  const reader = new BufferReader(bytes);
  const parser = restrictedParser();
  return {
    next: () => parser.read(reader),
    get position() {
      return reader.position;
    },
  };
}

/** Unpickles one pickle (a zip archive's `data.pkl`) under the allow-list. */
export function unpickleStateDict(bytes: Uint8Array): unknown {
  return pickleStream(bytes).next();
}
