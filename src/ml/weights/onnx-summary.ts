/** What an ONNX file says about itself, read back with ONNX's own schema. */
import protobuf from 'protobufjs';

/** What an encoded ONNX model declares: IR version, opset, input and output dims, `metadata_props`. */
export interface OnnxSummary {
  readonly irVersion: number;
  readonly opset: number;
  readonly input: readonly (number | string)[];
  readonly output: readonly (number | string)[];
  readonly metadata: Record<string, string>;
}

interface DecodedValueInfo {
  type?: { tensor_type?: { shape?: { dim?: { dim_value?: number; dim_param?: string }[] } } };
}

/**
 * Decodes an ONNX model's header fields with ONNX's schema (`onnxProto`: the text of onnx.proto),
 * independently of the writer; for tests and tools that run in plain Node, where `?raw` imports do not.
 */
export function summarizeOnnx(bytes: Uint8Array, onnxProto: string): OnnxSummary {
  const type = protobuf.parse(onnxProto, { keepCase: true }).root.lookupType('onnx.ModelProto');
  const decoded = type.toObject(type.decode(bytes), { longs: Number, defaults: false }) as {
    ir_version?: number;
    opset_import?: { domain?: string; version?: number }[];
    graph?: { input?: DecodedValueInfo[]; output?: DecodedValueInfo[] };
    metadata_props?: { key: string; value: string }[];
  };
  const dims = (v: DecodedValueInfo | undefined) => (v?.type?.tensor_type?.shape?.dim ?? []).map((d) => d.dim_value ?? d.dim_param ?? '?');
  return {
    irVersion: decoded.ir_version ?? 0,
    opset: decoded.opset_import?.find((o) => !o.domain)?.version ?? 0,
    input: dims(decoded.graph?.input?.[0]),
    output: dims(decoded.graph?.output?.[0]),
    metadata: Object.fromEntries((decoded.metadata_props ?? []).map((p) => [p.key, p.value])),
  };
}
