#!/usr/bin/python3
"""Golden numbers for the TypeScript ResNet50: torchvision's resnet50(num_classes=7) in float64.

Run: /usr/bin/python3 scripts/golden/make_golden.py  (writes tests/fixtures/golden/resnet50-golden.json)

PRNG (must stay bit-identical to src/shared/random.ts): mulberry32. State a (uint32) starts at the seed;
each draw does a += 0x6D2B79F5 then t = a; t = (t ^ t>>15) * (t | 1); t ^= t + (t ^ t>>7) * (t | 61);
out = t ^ t>>14, all in uint32 wrap-around arithmetic. A uniform draw in [lo, hi) is
float32(lo + (hi - lo) * (out / 2**32)) with the arithmetic in float64 and round-to-nearest-even
to float32 (JS: Math.fround). Because the state after n draws is seed + n * 0x6D2B79F5, the stream
is vectorised here with numpy; the TS side draws one value at a time.

Weights: every state_dict entry in state_dict order, num_batches_tracked skipped, drawn from ONE
stream seeded PARAM_SEED, flattened row-major in torch layout (conv OIHW, fc [out, in]), with the
ranges in init_range(). Input: a second stream seeded INPUT_SEED draws coarse [2, 3, 4, 4] in
[-1.5, 1.5) then fine [2, 3, 64, 64] in [-1, 1); x = float32(coarse[n, c, h // 16, w // 16] +
0.5 * fine[n, c, h, w]) (float64 arithmetic, one rounding), NCHW.

Conditioning: with white-noise input and BN weights ~1 everywhere, deep features are nearly
constant over the 2x2 positions of layer4, train-mode BN cancels catastrophically, and even
torch's own float32 gradients are 1e-2 off float64. Image-like coarse structure plus bn3 weights
in [0.1, 0.3) (the spirit of zero_init_residual) bring torch float32 to ~1e-5; the measured
float32 torch error is recorded as torchFloat32MaxRel so the TS tolerance can be judged against it.

Everything below runs in float64 (the float32 draws are exact in float64) so the golden numbers
measure only the float32 error of the TypeScript side.
"""
import json
import math
import os

import numpy as np
import torch
import torchvision

K = 0x6D2B79F5
PARAM_SEED = 1234
INPUT_SEED = 4321
LABELS = [3, 5]
NUM_CLASSES = 7
INPUT_SHAPE = (2, 3, 64, 64)
INPUT_CELLS = 4
NAMED_PARAMS = ['conv1.weight', 'layer1.0.conv1.weight', 'layer3.2.conv2.weight',
                'layer4.2.bn3.weight', 'fc.weight', 'fc.bias']
NAMED_BUFFERS = ['bn1.running_mean', 'bn1.running_var',
                 'layer4.2.bn3.running_mean', 'layer4.2.bn3.running_var']
BLOCKS = ['conv1', 'bn1', 'layer1', 'layer2', 'layer3', 'layer4', 'fc']
# Copied from src/shared/regimes.ts (the TS test checks they still agree): learning rate per block, 0 = frozen.
REGIMES = {
    'linear': dict(conv1=0, bn1=0, layer1=0, layer2=0, layer3=0, layer4=0, fc=0.005),
    'finetune': {b: 0.01 for b in BLOCKS},
    'discriminative': dict(conv1=0.001, bn1=0.001, layer1=0.001, layer2=0.001, layer3=0.001, layer4=0.001, fc=0.01),
    'frozen-lower': dict(conv1=0.001, bn1=0.001, layer1=0, layer2=0, layer3=0.001, layer4=0.001, fc=0.01),
}
SUMMARY_LEN = 64


class Mulberry32:
    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF

    def uint32(self, n):
        idx = np.arange(1, n + 1, dtype=np.uint64)
        a = ((np.uint64(self.state) + idx * np.uint64(K)) & np.uint64(0xFFFFFFFF)).astype(np.uint32)
        self.state = (self.state + n * K) & 0xFFFFFFFF
        with np.errstate(over='ignore'):
            t = (a ^ (a >> np.uint32(15))) * (a | np.uint32(1))
            t = t ^ (t + (t ^ (t >> np.uint32(7))) * (t | np.uint32(61)))
            return t ^ (t >> np.uint32(14))

    def uniform(self, n, lo, hi):
        u = self.uint32(n).astype(np.float64) / 4294967296.0
        return (lo + (hi - lo) * u).astype(np.float32)


def init_range(name, shape):
    """[lo, hi) per tensor. Mirrored by goldenInitRange() in src/ml/testing/golden-model.ts."""
    if name == 'fc.weight':
        b = 1.0 / math.sqrt(shape[1])
        return -b, b
    if name == 'fc.bias':
        return -0.1, 0.1
    if len(shape) == 4:
        # Variance 1/fan_in (half of He): eval-mode BN uses the drawn running stats, so nothing re-normalises;
        # with He variance the 16 residual sums grow logits to ~1e3, with this they stay O(1..10).
        b = math.sqrt(3.0 / (shape[1] * shape[2] * shape[3]))
        return -b, b
    if name.endswith('bn3.weight'):
        return 0.1, 0.3
    if name.endswith('.weight'):
        return 0.8, 1.2
    if name.endswith('.bias') or name.endswith('.running_mean'):
        return -0.1, 0.1
    if name.endswith('.running_var'):
        return 0.5, 1.5
    raise ValueError(name)


def summary(t):
    """Whole values for small tensors; otherwise head, an even-stride sample and three sums (torch layout)."""
    flat = t.detach().reshape(-1).double().numpy()
    n = flat.size
    out = {'shape': list(t.shape)}
    if n <= 256:
        out['values'] = flat.tolist()
        return out
    out['head'] = flat[:SUMMARY_LEN].tolist()
    out['strided'] = flat[[(i * n) // SUMMARY_LEN for i in range(SUMMARY_LEN)]].tolist()
    out['sum'] = float(flat.sum())
    out['sumAbs'] = float(np.abs(flat).sum())
    out['sumSq'] = float((flat * flat).sum())
    return out


def fresh_model():
    model = torchvision.models.resnet50(num_classes=NUM_CLASSES).double()
    rng = Mulberry32(PARAM_SEED)
    with torch.no_grad():
        for name, t in model.state_dict().items():
            if name.endswith('num_batches_tracked'):
                continue
            lo, hi = init_range(name, tuple(t.shape))
            t.copy_(torch.from_numpy(rng.uniform(t.numel(), lo, hi).astype(np.float64)).reshape(t.shape))
    return model


def make_input():
    n, c, h, w = INPUT_SHAPE
    rng = Mulberry32(INPUT_SEED)
    coarse = rng.uniform(n * c * INPUT_CELLS * INPUT_CELLS, -1.5, 1.5).astype(np.float64).reshape(n, c, INPUT_CELLS, INPUT_CELLS)
    fine = rng.uniform(n * c * h * w, -1.0, 1.0).astype(np.float64).reshape(INPUT_SHAPE)
    up = np.repeat(np.repeat(coarse, h // INPUT_CELLS, 2), w // INPUT_CELLS, 3)
    return (up + 0.5 * fine).astype(np.float32).astype(np.float64)


def rel_err(a, b):
    return float((a.double() - b.double()).abs().max() / b.double().abs().max())


def float32_error(x, y, eval_logits, loss, grads64):
    """How far torch's own float32 run is from this float64 reference (max |diff| / max |ref|)."""
    m = fresh_model().float().eval()
    with torch.no_grad():
        out = {'evalLogits': rel_err(m(x.float()), eval_logits)}
    m.train()
    l32 = torch.nn.functional.cross_entropy(m(x.float()), y)
    l32.backward()
    p = dict(m.named_parameters())
    out['loss'] = rel_err(l32.detach(), loss.detach())
    for n in NAMED_PARAMS:
        out[n] = rel_err(p[n].grad, grads64[n])
    return out


def main():
    x = torch.from_numpy(make_input())
    y = torch.tensor(LABELS)

    model = fresh_model().eval()
    initial = {n: summary(model.state_dict()[n]) for n in NAMED_PARAMS + NAMED_BUFFERS}
    with torch.no_grad():
        eval_logits = model(x)

    model.train()
    train_logits = model(x)
    loss = torch.nn.functional.cross_entropy(train_logits, y)
    loss.backward()
    params = dict(model.named_parameters())
    grads = {n: summary(params[n].grad) for n in NAMED_PARAMS}
    f32 = float32_error(x, y, eval_logits, loss, {n: params[n].grad for n in NAMED_PARAMS})
    running = {n: summary(model.state_dict()[n]) for n in NAMED_BUFFERS}

    regimes = {}
    for rid, rates in REGIMES.items():
        m = fresh_model().train()
        groups = {}
        for n, p in m.named_parameters():
            lr = rates[n.split('.')[0]]
            p.requires_grad_(lr > 0)
            if lr > 0:
                groups.setdefault(lr, []).append(p)
        opt = torch.optim.SGD([{'params': ps, 'lr': lr} for lr, ps in groups.items()], lr=0.0, momentum=0.9)
        opt.zero_grad()
        step_loss = torch.nn.functional.cross_entropy(m(x), y)
        step_loss.backward()
        opt.step()
        mp = dict(m.named_parameters())
        regimes[rid] = {'learningRates': rates, 'loss': step_loss.item(),
                        'paramsAfterStep': {n: summary(mp[n]) for n in NAMED_PARAMS}}

    out = {
        'meta': {
            'torch': torch.__version__, 'torchvision': torchvision.__version__, 'numpy': np.__version__,
            'dtype': 'float64', 'model': 'torchvision.models.resnet50(num_classes=7), v1.5',
            'prng': 'mulberry32, uniform = float32(lo + (hi - lo) * uint32 / 2**32); see make_golden.py',
            'paramSeed': PARAM_SEED, 'inputSeed': INPUT_SEED, 'inputShapeNCHW': list(INPUT_SHAPE),
            'inputCells': INPUT_CELLS, 'coarseRange': [-1.5, 1.5], 'fineRange': [-1.0, 1.0], 'fineScale': 0.5,
            'labels': LABELS, 'numClasses': NUM_CLASSES,
            'summary': f'tensors with > 256 values: head = first {SUMMARY_LEN}, strided = flat[floor(i*n/{SUMMARY_LEN})], '
                       'sum, sumAbs, sumSq; all in torch layout (conv OIHW, fc [out, in])',
            'optimizer': 'torch.optim.SGD(momentum=0.9), one step, model.train(), lr 0 = requires_grad False',
        },
        'torchFloat32MaxRel': f32,
        'prngCheck': {'seed': PARAM_SEED, 'uint32': Mulberry32(PARAM_SEED).uint32(8).tolist()},
        'initial': initial,
        'evalLogits': eval_logits.tolist(),
        'train': {'logits': train_logits.tolist(), 'loss': loss.item(), 'grads': grads, 'runningAfterForward': running},
        'regimes': regimes,
    }
    path = os.path.join(os.path.dirname(__file__), '..', '..', 'tests', 'fixtures', 'golden', 'resnet50-golden.json')
    with open(path, 'w') as f:
        json.dump(out, f, indent=1)
    print('eval logits', eval_logits.tolist(), 'loss', loss.item(), 'bytes', os.path.getsize(path))


if __name__ == '__main__':
    main()
