import type { WeightsRequest } from '../../shared/protocol.ts';
import { useLab } from '../../state/store.ts';
import { fromFileList, takeDrop } from '../common/collect-files.ts';
import { useLabHandle } from '../common/lab-context.ts';
import { DropZone } from '../Dataset/DropZone.tsx';

type Picked = readonly { path: string; file: File }[];

/** One weights file (told apart by its bytes in the worker): .safetensors, or PyTorch's torch.save. */
const WEIGHTS_FILE = /\.(safetensors|pth|pt|ckpt|tar)$/i;

/**
 * A `.safetensors` or PyTorch `.pth`/`.pt` file, or a TensorFlow.js `model.json` with its weight
 * shards; a `.bin` alone (no model.json) is read as PyTorch's (Hugging Face's pytorch_model.bin).
 */
async function toWeightsRequest(picked: Picked): Promise<WeightsRequest> {
  const hasModelJson = picked.some((p) => p.file.name === 'model.json');
  const single =
    picked.find((p) => WEIGHTS_FILE.test(p.file.name)) ?? (hasModelJson ? undefined : picked.find((p) => /\.bin$/i.test(p.file.name)));
  if (single) return { kind: 'file', name: single.file.name, data: await single.file.arrayBuffer() };
  if (hasModelJson) {
    return { kind: 'tfjs', files: await Promise.all(picked.map(async (p) => ({ name: p.file.name, data: await p.file.arrayBuffer() }))) };
  }
  throw new Error(
    `Neither a .safetensors or .pth/.pt file nor a model.json among: ${picked.map((p) => p.file.name).join(', ') || 'nothing'}.`,
  );
}

/** Drop or pick weight files instead of downloading. */
export function WeightsFiles({ disabled }: { disabled: boolean }) {
  const { commands } = useLabHandle();
  const pushMessage = useLab((s) => s.pushMessage);
  const load = (pick: () => Promise<Picked>) =>
    pick()
      .then(toWeightsRequest)
      .then(commands.loadWeights)
      .catch((err: Error) =>
        pushMessage({
          title: 'Those weight files could not be used',
          detail: err.message,
          hint: 'Drop a ResNet50 state dict: .safetensors or PyTorch .pth/.pt (torchvision names), or model.json together with its .bin shards.',
        }),
      );
  return (
    <DropZone
      testId="weights-dropzone"
      label="Drop a .pth, .pt or .safetensors, or model.json with its shards"
      accept=".pth,.pt,.ckpt,.tar,.safetensors,.json,.bin"
      multiple
      disabled={disabled}
      onDrop={(transfer) => load(takeDrop(transfer))}
      onPick={(files) => load(async () => fromFileList(files))}
    />
  );
}
