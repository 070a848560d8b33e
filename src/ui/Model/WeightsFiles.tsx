import type { WeightsRequest } from '../../shared/protocol.ts';
import { useLab } from '../../state/store.ts';
import { fromFileList, takeDrop } from '../common/collect-files.ts';
import { useLabHandle } from '../common/lab-context.ts';
import { DropZone } from '../Dataset/DropZone.tsx';

type Picked = readonly { path: string; file: File }[];

/** A `.safetensors` file, or a TensorFlow.js `model.json` with its weight shards. */
async function toWeightsRequest(picked: Picked): Promise<WeightsRequest> {
  const safetensors = picked.find((p) => /\.safetensors$/i.test(p.file.name));
  if (safetensors) return { kind: 'safetensors', name: safetensors.file.name, data: await safetensors.file.arrayBuffer() };
  if (picked.some((p) => p.file.name === 'model.json')) {
    return { kind: 'tfjs', files: await Promise.all(picked.map(async (p) => ({ name: p.file.name, data: await p.file.arrayBuffer() }))) };
  }
  throw new Error(`Neither a .safetensors file nor a model.json among: ${picked.map((p) => p.file.name).join(', ') || 'nothing'}.`);
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
          hint: 'Drop a ResNet50 .safetensors (torchvision names), or model.json together with its .bin shards.',
        }),
      );
  return (
    <DropZone
      testId="weights-dropzone"
      label="Drop a .safetensors, or model.json with its shards"
      accept=".safetensors,.json,.bin"
      multiple
      disabled={disabled}
      onDrop={(transfer) => load(takeDrop(transfer))}
      onPick={(files) => load(async () => fromFileList(files))}
    />
  );
}
