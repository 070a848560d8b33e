/**
 * The sentences a user reads when a weights file cannot be used (or was converted), one function
 * per case, so the app, `lab convert`, `lab predict --weights` and the README quote the same words.
 */

/** What every refusal of another network ends with. */
export const EXPECTED_ARCHITECTURE =
  'Expression Lab fine-tunes ResNet50: give a ResNet50 state dict (torchvision or timm names), such as torchvision’s resnet50-0676ba61.pth or timm’s resnet50.tv_in1k model.safetensors.';

/**
 * Weights of another network. `found` is what the keys look like ("a ResNet18"), or null when
 * unrecognised; `detail` names the first missing and unexpected keys; `near` says the keys are
 * ResNet50's with some missing or extra (a damaged or edited state dict), not another set.
 */
export function wrongArchitecture(found: string | null, detail: string, near: boolean): string {
  const verdict = found
    ? `These weights are ${found}, not a ResNet50`
    : near
      ? 'These weights do not match torchvision’s ResNet50'
      : 'These weights are not torchvision’s ResNet50';
  return `${verdict}: ${detail}. ${EXPECTED_ARCHITECTURE}`;
}

/** A tensor stored in a dtype the lab cannot turn into float32 weights. */
export function unsupportedDtype(tensor: string, dtype: string): string {
  return (
    `safetensors: tensor "${tensor}" is stored as ${dtype}, which Expression Lab cannot use as weights; ` +
    'it reads F32, F16, BF16 and F64 (and converts them to float32). ' +
    'In PyTorch, save the float weights: safetensors.torch.save_file({k: v.float() for k, v in model.state_dict().items()}, "model.safetensors").'
  );
}

/** A .safetensors file whose data section is shorter than its header says. */
export function truncatedSafetensors(describedBytes: number, presentBytes: number): string {
  const missing = describedBytes - presentBytes;
  return (
    `safetensors: the file is truncated: its header describes ${describedBytes.toLocaleString('en')} bytes of tensor data but only ` +
    `${presentBytes.toLocaleString('en')} are there (${missing.toLocaleString('en')} bytes missing). Download or copy the file again.`
  );
}

/** A header whose offsets cannot describe a real file: reversed, overlapping, or leaving holes. */
export function damagedOffsets(problem: string): string {
  return `safetensors: the header lies about where the tensors are: ${problem}. The file is damaged; download it again, or save it again with safetensors.torch.save_file.`;
}

/** A TensorFlow.js model.json given without (some of) the weight files it names. */
export function missingShards(manifest: string, missing: readonly string[]): string {
  const list = missing.map((m) => `"${m}"`).join(', ');
  return (
    `${manifest} names ${missing.length === 1 ? 'a weight file' : `${missing.length} weight files`} that ${missing.length === 1 ? 'is' : 'are'} missing: ${list}. ` +
    'Keep them together: drop (or pick) model.json with all its .bin files at once, or give their folder.'
  );
}

/** The load summary's line for tensors converted to float32 ("float16, bfloat16"). */
export function convertedNote(dtypes: Iterable<string>): string | null {
  const list = [...new Set(dtypes)];
  return list.length > 0 ? `converted ${list.join(', ')} tensors to float32` : null;
}
