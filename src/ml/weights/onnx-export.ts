/**
 * A torchvision ResNet50 state dict → an ONNX model (opset 17, IR version 8), DOM-free and tf-free.
 *
 * The graph is the eval-mode network written out op by op from resnet50-spec.ts (Conv, then
 * BatchNormalization with the running statistics, Relu, MaxPool, Add, GlobalAveragePool, Flatten,
 * Gemm), so it cannot disagree with the lab's builder. Input `input`: float32 NCHW
 * [batch, 3, size, size], already scaled and normalised as `metadata_props` says; output `logits`
 * [batch, classes]. Encoded with protobufjs from ONNX's own onnx.proto (vendored beside this file).
 */
import protobuf from 'protobufjs';
import ONNX_PROTO from './onnx.proto?raw';
import { BN_EPSILON } from '../batch-norm.ts';
import { RESNET50_FEATURES, resnet50Bottlenecks, STEM_CONV, bottleneckConvs, type ConvBnSpec } from '../resnet50-spec.ts';
import type { HostTensor } from './safetensors.ts';

/** The operator set written; onnxruntime ≥ 1.13 runs it in full. */
export const ONNX_OPSET = 17;
/** IR version 8 goes with opset 17 (ONNX 1.12+). */
const IR_VERSION = 8;
const FLOAT = 1;

export interface OnnxExportOptions {
  /** Side of the square input the model was trained at. */
  readonly inputSize: number;
  /** Written to `metadata_props`: the preprocessing, classes, regime and run, as strings. */
  readonly metadata: Readonly<Record<string, string>>;
  /** The model's `doc_string`. */
  readonly docString?: string;
  readonly producerVersion?: string;
}

interface Node {
  readonly op_type: string;
  readonly input: string[];
  readonly output: string[];
  readonly name: string;
  readonly attribute?: object[];
}

const ints = (name: string, values: readonly number[]) => ({ name, type: 'INTS', ints: [...values] });

let modelProto: protobuf.Type | null = null;
function modelType(): protobuf.Type {
  modelProto ??= protobuf.parse(ONNX_PROTO, { keepCase: true }).root.lookupType('onnx.ModelProto');
  return modelProto;
}

/** Float32 values as little-endian bytes, whatever the host's byte order. */
function littleEndianBytes(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i] ?? 0, true);
  return out;
}

/**
 * Encodes `stateDict` (torch layouts: conv OIHW, fc [classes, 2048]; `num_batches_tracked`
 * absent or ignored) as an ONNX model. Throws naming any tensor that is missing.
 */
export function resnet50ToOnnx(stateDict: ReadonlyMap<string, HostTensor>, options: OnnxExportOptions): Uint8Array {
  const initializer: object[] = [];
  const tensor = (name: string): string => {
    const t = stateDict.get(name);
    if (!t) throw new Error(`ONNX export: the state dict has no tensor "${name}"`);
    initializer.push({ name, dims: [...t.shape], data_type: FLOAT, raw_data: littleEndianBytes(t.data) });
    return name;
  };
  const nodes: Node[] = [];
  const node = (op_type: string, input: string[], output: string, attribute?: object[]): string => {
    nodes.push({ op_type, input, output: [output], name: output, ...(attribute ? { attribute } : {}) });
    return output;
  };
  const convBn = (c: ConvBnSpec, x: string): string => {
    const conv = node('Conv', [x, tensor(`${c.conv}.weight`)], c.conv, [
      ints('kernel_shape', [c.kernel, c.kernel]),
      ints('strides', [c.stride, c.stride]),
      ints('pads', [c.pad, c.pad, c.pad, c.pad]),
      ints('dilations', [1, 1]),
      { name: 'group', type: 'INT', i: 1 },
    ]);
    const bn = ['weight', 'bias', 'running_mean', 'running_var'].map((p) => tensor(`${c.bn}.${p}`));
    return node('BatchNormalization', [conv, ...bn], c.bn, [{ name: 'epsilon', type: 'FLOAT', f: BN_EPSILON }]);
  };

  let x = node('Relu', [convBn(STEM_CONV, 'input')], 'relu');
  x = node('MaxPool', [x], 'maxpool', [ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1])]);
  for (const block of resnet50Bottlenecks()) {
    const [c1, c2, c3, downsample] = bottleneckConvs(block) as [ConvBnSpec, ConvBnSpec, ConvBnSpec, ConvBnSpec | undefined];
    const a = node('Relu', [convBn(c1, x)], `${block.prefix}.relu1`);
    const b = node('Relu', [convBn(c2, a)], `${block.prefix}.relu2`);
    const c = convBn(c3, b);
    const identity = downsample ? convBn(downsample, x) : x;
    x = node('Relu', [node('Add', [c, identity], `${block.prefix}.add`)], `${block.prefix}.relu3`);
  }
  const pooled = node('Flatten', [node('GlobalAveragePool', [x], 'avgpool')], 'flatten', [{ name: 'axis', type: 'INT', i: 1 }]);
  node('Gemm', [pooled, tensor('fc.weight'), tensor('fc.bias')], 'logits', [{ name: 'transB', type: 'INT', i: 1 }]);

  const fc = stateDict.get('fc.weight');
  if (!fc || fc.shape[1] !== RESNET50_FEATURES) throw new Error('ONNX export: fc.weight is not [classes, 2048]');
  const size = options.inputSize;
  const valueInfo = (name: string, dims: object[]) => ({
    name,
    type: { tensor_type: { elem_type: FLOAT, shape: { dim: dims } } },
  });
  const model = {
    ir_version: IR_VERSION,
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    producer_name: 'Expression Lab',
    producer_version: options.producerVersion ?? '',
    doc_string: options.docString ?? '',
    graph: {
      name: 'resnet50',
      node: nodes,
      initializer,
      input: [valueInfo('input', [{ dim_param: 'batch' }, { dim_value: 3 }, { dim_value: size }, { dim_value: size }])],
      output: [valueInfo('logits', [{ dim_param: 'batch' }, { dim_value: fc.shape[0] }])],
    },
    metadata_props: Object.entries(options.metadata).map(([key, value]) => ({ key, value })),
  };
  const type = modelType();
  const message = type.fromObject(model);
  const problem = type.verify(message);
  if (problem) throw new Error(`ONNX export: ${problem}`);
  return type.encode(message).finish();
}
