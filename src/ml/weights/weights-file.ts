/**
 * One weights file, whatever its name says: told apart by its first bytes into a PyTorch
 * `torch.save` file (.pth, .pt, Hugging Face's pytorch_model.bin) or a .safetensors file.
 */
import { isPytorchFile, isTar, readPytorchFile } from './pytorch-file.ts';
import { parseSafetensors, type HostTensor } from './safetensors.ts';
import { convertedNote } from './weights-messages.ts';

/** A weights file's tensors (torch layouts, float32), its string metadata, and what reading it did. */
export interface WeightsFileContents {
  readonly format: 'safetensors' | 'pytorch';
  readonly tensors: Map<string, HostTensor>;
  /** safetensors `__metadata__` (an Expression Lab export's classes and model card); empty for PyTorch files. */
  readonly metadata: Record<string, string>;
  /** Sentences for the user: the format, where the weights were found, what was converted. */
  readonly notes: readonly string[];
}

const ACCEPTED = 'Give a .safetensors file, or a PyTorch .pth/.pt written by torch.save(model.state_dict()).';

/** Reads `bytes` (a file named `name`, for messages). Throws an Error saying what the file is and what to do instead. */
export function readWeightsFile(name: string, bytes: Uint8Array): WeightsFileContents {
  if (isPytorchFile(bytes) || isTar(bytes)) {
    const { tensors, notes } = readPytorchFile(name, bytes);
    return { format: 'pytorch', tensors, metadata: {}, notes };
  }
  if (bytes[0] === 0x80 && (bytes[1] ?? 0) <= 5)
    throw new Error(`${name} is a Python pickle, but not one torch.save wrote (no zip archive, no PyTorch magic number). ${ACCEPTED}`);
  try {
    const { tensors, metadata, converted } = parseSafetensors(bytes);
    const note = convertedNote(converted);
    return { format: 'safetensors', tensors, metadata, notes: note ? [note] : [] };
  } catch (err) {
    const message = (err as Error).message;
    if (/^safetensors: header (length|is not)/.test(message))
      throw new Error(`${name} is neither a .safetensors file nor a PyTorch file (${message.replace(/^safetensors: /, '')}). ${ACCEPTED}`);
    throw new Error(`${name}: ${message}`);
  }
}
