#!/usr/bin/python3
"""Checks that a .safetensors written by exportTorchvisionStateDict + writeSafetensors loads into
torchvision.models.resnet50(num_classes=K) with strict=True, without the safetensors package.

Usage: /usr/bin/python3 scripts/golden/load_in_torchvision.py FILE [--golden]
--golden: FILE holds the golden weights (src/ml/testing/golden-model.ts); also compare eval logits
with tests/fixtures/golden/resnet50-golden.json.
"""
import json
import os
import struct
import sys

import numpy as np
import torch
import torchvision


def read_safetensors(path):
    with open(path, 'rb') as f:
        raw = f.read()
    (n,) = struct.unpack('<Q', raw[:8])
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    out = {}
    for name, spec in header.items():
        if name == '__metadata__':
            continue
        if spec['dtype'] != 'F32':
            raise ValueError(f'{name}: dtype {spec["dtype"]}, this checker reads F32 only')
        begin, end = spec['data_offsets']
        out[name] = torch.from_numpy(np.frombuffer(data[begin:end], dtype='<f4').reshape(spec['shape']).copy())
    return out


def main():
    path = sys.argv[1]
    state = read_safetensors(path)
    model = torchvision.models.resnet50(num_classes=state['fc.weight'].shape[0])
    # Missing num_batches_tracked is filled with 0 by BatchNorm's _load_from_state_dict.
    print(model.load_state_dict(state, strict=True))
    if '--golden' in sys.argv:
        sys.path.insert(0, os.path.dirname(__file__))
        import make_golden
        golden = json.load(open(os.path.join(os.path.dirname(__file__), '..', '..', 'tests', 'fixtures', 'golden', 'resnet50-golden.json')))
        with torch.no_grad():
            logits = model.double().eval()(torch.from_numpy(make_golden.make_input()))
        print('max |logit - golden|:', (logits - torch.tensor(golden['evalLogits'])).abs().max().item())


if __name__ == '__main__':
    main()
