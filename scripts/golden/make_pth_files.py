#!/usr/bin/python3
"""Writes the PyTorch weight files the tests read (never committed): what torch.save really produces.

Run: /usr/bin/python3 scripts/golden/make_pth_files.py tiny OUTDIR
     /usr/bin/python3 scripts/golden/make_pth_files.py resnet OUTDIR [--pixels FILE.json]

tiny: small files for the reader's unit tests (src/ml/weights/pytorch-file.test.ts), and
OUTDIR/tiny-expected.json with every tensor's values as float32 sees them:
  state.pth       an OrderedDict of float32, float16, bfloat16, float64 and int64 tensors, a transposed
                  (non-contiguous) view and a slice sharing another tensor's storage;
  checkpoint.pth  {'epoch', 'state_dict': {'module.' + name}, 'optimizer': {...}} as DataParallel training saves;
  legacy.pth      state.pth written with _use_new_zipfile_serialization=False (the pre-1.6 format);
  model.pth       torch.save(model) of a small nn.Sequential: a pickled model class;
  evil.pth        a pickle whose object reduces to os.system (it must be refused, never run).

resnet: torchvision resnet50(num_classes=7), seeded, with BatchNorm statistics and affine parameters
drawn away from their defaults so that a wrong BN mapping shows in the logits:
  state_dict.pth  torch.save(model.state_dict());
  checkpoint.pth  {'epoch': 12, 'state_dict': nn.DataParallel(model).state_dict()} ('module.' keys);
  legacy.pth      the state dict in the pre-1.6 (non-zip) format;
  model.pth       torch.save(model);
and with --pixels (JSON {"size": S, "images": [{"name", "pixels": [S*S*3 RGB bytes, HWC]}]}), prints
{"logits": {name: [...]}} from the eval-mode model on the ImageNet-normalised images.
"""
import argparse
import collections
import json
import os
import sys

import torch
import torchvision


def tiny(out):
    torch.manual_seed(7)
    base = torch.randn(4, 3)
    shared = torch.randn(10)
    state = collections.OrderedDict()
    state['layer.weight'] = base.clone()
    state['layer.half'] = torch.randn(2, 5).half()
    state['layer.bf16'] = torch.randn(3, 2).bfloat16()
    state['layer.double'] = torch.randn(2, 2, dtype=torch.float64)
    state['layer.num_batches_tracked'] = torch.tensor(17, dtype=torch.int64)
    state['layer.transposed'] = base.t()  # strides (1, 3): not contiguous
    state['layer.whole'] = shared
    state['layer.slice'] = shared[3:7]  # same storage, offset 3
    state['layer.scalar'] = torch.tensor(2.5)
    expected = {k: {'shape': list(v.shape), 'values': v.float().flatten().tolist()}
                for k, v in state.items() if not k.endswith('num_batches_tracked')}
    torch.save(state, os.path.join(out, 'state.pth'))
    checkpoint = {
        'epoch': 3,
        'arch': 'tiny',
        'state_dict': collections.OrderedDict(('module.' + k, v) for k, v in state.items()),
        'optimizer': {'state': {0: {'momentum_buffer': torch.zeros(3)}}, 'param_groups': [{'lr': 0.1, 'params': [0]}]},
    }
    torch.save(checkpoint, os.path.join(out, 'checkpoint.pth'))
    torch.save(state, os.path.join(out, 'legacy.pth'), _use_new_zipfile_serialization=False)
    torch.save(torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.ReLU()), os.path.join(out, 'model.pth'))

    class Evil:
        def __reduce__(self):
            return (os.system, ('echo this must never run',))

    torch.save({'weight': torch.zeros(2), 'payload': Evil()}, os.path.join(out, 'evil.pth'))
    with open(os.path.join(out, 'tiny-expected.json'), 'w') as f:
        json.dump(expected, f)


def resnet_model():
    torch.manual_seed(2024)
    model = torchvision.models.resnet50(num_classes=7)
    with torch.no_grad():
        for name, module in model.named_modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.running_mean.uniform_(-0.1, 0.1)
                module.running_var.uniform_(0.5, 1.5)
                module.weight.uniform_(0.1, 0.3 if name.endswith('bn3') else 1.2)
                module.bias.uniform_(-0.1, 0.1)
    return model.eval()


def resnet(out, pixels_path):
    model = resnet_model()
    torch.save(model.state_dict(), os.path.join(out, 'state_dict.pth'))
    torch.save({'epoch': 12, 'state_dict': torch.nn.DataParallel(model).state_dict()}, os.path.join(out, 'checkpoint.pth'))
    torch.save(model.state_dict(), os.path.join(out, 'legacy.pth'), _use_new_zipfile_serialization=False)
    torch.save(model, os.path.join(out, 'model.pth'))
    if not pixels_path:
        return
    with open(pixels_path) as f:
        spec = json.load(f)
    size = spec['size']
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    logits = {}
    with torch.no_grad():
        for image in spec['images']:
            x = torch.tensor(image['pixels'], dtype=torch.float32).view(1, size, size, 3).permute(0, 3, 1, 2)
            logits[image['name']] = model((x / 255 - mean) / std)[0].tolist()
    json.dump({'logits': logits}, sys.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('set', choices=['tiny', 'resnet'])
    parser.add_argument('out')
    parser.add_argument('--pixels')
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    if args.set == 'tiny':
        tiny(args.out)
    else:
        resnet(args.out, args.pixels)


if __name__ == '__main__':
    main()
