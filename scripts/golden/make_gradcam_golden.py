#!/usr/bin/python3
"""Golden Grad-CAM maps for src/ml/interpret/grad-cam.golden.test.ts: torchvision's resnet50 with hooks on layer4.

Run: /usr/bin/python3 scripts/golden/make_gradcam_golden.py  (writes tests/fixtures/golden/gradcam-golden.json)

The weights are make_golden.py's (one mulberry32 stream seeded PARAM_SEED, its init ranges), in float64,
eval mode. The image is built like make_golden.py's input: one 128x128 image seeded INPUT_SEED with 4x4
coarse cells in [-3, 3), so layer4 is 4x4. Two classes are explained: the predicted one, and the one whose
map the ReLU clips in the most (but not all) places, so the test sees the clipping. With A = layer4's output
(forward hook) and dy_c/dA (a hook on that tensor's gradient): weights = mean of the gradient over H and W,
map = relu(sum_k weights_k * A_k), then F.interpolate(mode='bilinear', align_corners=False) to 128x128.
The raw map is stored whole; the upsampled one at every STRIDE-th row and column (from 0) plus the last,
and its sum.
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from make_golden import Mulberry32, fresh_model, PARAM_SEED, NUM_CLASSES  # noqa: E402

INPUT_SEED = 5678
SIDE = 128
CELLS = 4
COARSE = 3.0
STRIDE = 4


def make_image():
    rng = Mulberry32(INPUT_SEED)
    coarse = rng.uniform(3 * CELLS * CELLS, -COARSE, COARSE).astype(np.float64).reshape(1, 3, CELLS, CELLS)
    fine = rng.uniform(3 * SIDE * SIDE, -1.0, 1.0).astype(np.float64).reshape(1, 3, SIDE, SIDE)
    up = np.repeat(np.repeat(coarse, SIDE // CELLS, 2), SIDE // CELLS, 3)
    return (up + 0.5 * fine).astype(np.float32).astype(np.float64)


def grad_cam(model, x, class_index):
    """Grad-CAM with hooks on model.layer4; returns (map [h, w], upsampled [H, W], logits [K], class)."""
    captured = {}

    def forward_hook(_module, _inputs, output):
        captured['activations'] = output
        output.register_hook(lambda grad: captured.__setitem__('gradient', grad))

    handle = model.layer4.register_forward_hook(forward_hook)
    try:
        model.zero_grad()
        logits = model(x)
        cls = int(logits.argmax(1)) if class_index is None else class_index
        logits[0, cls].backward()
    finally:
        handle.remove()
    a = captured['activations'].detach()
    weights = captured['gradient'].mean(dim=(2, 3), keepdim=True)
    cam = torch.relu((weights * a).sum(1, keepdim=True))
    up = F.interpolate(cam, size=x.shape[2:], mode='bilinear', align_corners=False)
    return cam[0, 0], up[0, 0], logits[0].detach(), cls


def sampled(up):
    rows = sorted(set(list(range(0, SIDE, STRIDE)) + [SIDE - 1]))
    return rows, up[rows][:, rows]


def main():
    x = torch.from_numpy(make_image())
    model = fresh_model().eval()
    model32 = fresh_model().float().eval()
    maps = []
    predicted = grad_cam(model, x, None)[3]
    clipped = {c: int((grad_cam(model, x, c)[0] == 0).sum()) for c in range(NUM_CLASSES) if c != predicted}
    partial = [c for c, zeros in clipped.items() if 0 < zeros < 16]
    other = max(partial, key=lambda c: clipped[c]) if partial else (predicted + 1) % NUM_CLASSES
    for class_index in [None, other]:
        cam, up, logits, cls = grad_cam(model, x, class_index)
        cam32, up32, _, _ = grad_cam(model32, x.float(), cls)
        rows, grid = sampled(up)
        maps.append({
            'classIndex': cls,
            'requested': None if len(maps) == 0 else cls,
            'map': cam.tolist(),
            'upsampledRows': rows,
            'upsampled': grid.tolist(),
            'upsampledSum': float(up.sum()),
            'torchFloat32MaxRel': {
                'map': float((cam32.double() - cam).abs().max() / cam.abs().max()),
                'upsampled': float((up32.double() - up).abs().max() / up.abs().max()),
            },
        })
    out = {
        'meta': {
            'torch': torch.__version__, 'dtype': 'float64', 'paramSeed': PARAM_SEED, 'numClasses': NUM_CLASSES,
            'inputSeed': INPUT_SEED, 'inputShapeNCHW': [1, 3, SIDE, SIDE], 'inputCells': CELLS,
            'coarseRange': [-COARSE, COARSE], 'fineRange': [-1.0, 1.0], 'fineScale': 0.5,
            'method': 'hooks on model.layer4: weights = grad.mean((2, 3)); relu(sum(weights * A)); '
                      "F.interpolate(bilinear, align_corners=False); model.eval()",
        },
        'logits': logits.tolist(),
        'maps': maps,
    }
    path = os.path.join(os.path.dirname(__file__), '..', '..', 'tests', 'fixtures', 'golden', 'gradcam-golden.json')
    with open(path, 'w') as f:
        json.dump(out, f, indent=1)
    print('classes', [m['classIndex'] for m in maps], 'float32 error', [m['torchFloat32MaxRel'] for m in maps],
          'bytes', os.path.getsize(path))


if __name__ == '__main__':
    main()
