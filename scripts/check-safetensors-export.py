#!/usr/bin/python3
"""Checks that an Expression Lab .safetensors export loads into PyTorch and runs.

Builds torchvision.models.resnet50(num_classes=K), loads the file with strict=True (reading it with
the safetensors package when importable, else with the standard-library reader of
scripts/golden/load_in_torchvision.py), runs an eval-mode forward on zeros and, with --pixels, on
one image preprocessed as the export's own model card says. Prints one JSON object on stdout;
exits 1 (with the reason on stderr) when anything does not hold.

Usage: /usr/bin/python3 scripts/check-safetensors-export.py FILE [--classes K] [--pixels FILE.json]
--pixels: JSON {"width": W, "height": H, "pixels": [...]} with W*H*3 RGB bytes (row-major, HWC),
already at the model's input size.
"""
import argparse
import json
import math
import os
import struct
import sys

import torch
import torchvision

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'golden'))
from load_in_torchvision import read_safetensors as read_with_stdlib  # noqa: E402


def read_metadata(path):
    with open(path, 'rb') as f:
        (n,) = struct.unpack('<Q', f.read(8))
        header = json.loads(f.read(n))
    return header.get('__metadata__', {})


def read_state_dict(path):
    try:
        from safetensors.torch import load_file
    except ImportError:
        return read_with_stdlib(path), 'stdlib reader'
    return load_file(path), 'safetensors package'


def preprocess(pixels, card):
    """[H, W, 3] uint8 → [1, 3, H, W] float32, as the model card's preprocessing says."""
    prep = card['preprocessing']
    mean = torch.tensor(prep['mean'], dtype=torch.float32).view(1, 3, 1, 1)
    std = torch.tensor(prep['std'], dtype=torch.float32).view(1, 3, 1, 1)
    scale = float(prep['scale'].split()[-1])
    h, w = pixels['height'], pixels['width']
    x = torch.tensor(pixels['pixels'], dtype=torch.float32).view(1, h, w, 3).permute(0, 3, 1, 2)
    return (x / scale - mean) / std


def fail(message):
    print(f'check-safetensors-export: {message}', file=sys.stderr)
    sys.exit(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('file')
    parser.add_argument('--classes', type=int, help='expected number of classes (rows of fc.weight)')
    parser.add_argument('--pixels', help='JSON image to classify (see the module docstring)')
    args = parser.parse_args()

    metadata = read_metadata(args.file)
    state, reader = read_state_dict(args.file)
    if 'fc.weight' not in state:
        fail('no fc.weight in the file: not a torchvision ResNet50 state_dict')
    classes = state['fc.weight'].shape[0]
    if args.classes is not None and classes != args.classes:
        fail(f'fc.weight has {classes} rows, expected {args.classes} classes')
    names = json.loads(metadata['classes']) if 'classes' in metadata else None
    if names is not None and len(names) != classes:
        fail(f'metadata names {len(names)} classes but fc.weight has {classes} rows')
    card = json.loads(metadata['expression-lab']) if 'expression-lab' in metadata else None

    model = torchvision.models.resnet50(num_classes=classes)
    try:
        # Missing num_batches_tracked is filled with 0 by BatchNorm's _load_from_state_dict.
        model.load_state_dict(state, strict=True)
    except RuntimeError as err:
        fail(f'load_state_dict(strict=True) failed: {err}')
    model.eval()

    size = card['preprocessing']['inputSize'][0] if card else 48
    with torch.no_grad():
        zeros = model(torch.zeros(1, 3, size, size))[0].tolist()
        out = {'ok': True, 'reader': reader, 'classes': classes, 'classNames': names, 'inputSize': size, 'tensors': len(state), 'zerosLogits': zeros}
        if args.pixels:
            if not card:
                fail('--pixels needs the export\'s model card (metadata "expression-lab") for the preprocessing')
            with open(args.pixels) as f:
                out['logits'] = model(preprocess(json.load(f), card))[0].tolist()
    if not all(math.isfinite(v) for v in zeros + out.get('logits', [])):
        fail(f'non-finite logits: {out}')
    print(json.dumps(out))


if __name__ == '__main__':
    main()
