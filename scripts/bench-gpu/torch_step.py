#!/usr/bin/env python3
"""One training step of torchvision's resnet50, timed, for the same settings as the lab's step.

    python3 torch_step.py --regime discriminative --size 224 --batch 32 --steps 5 [--device cuda|cpu] [--threads N]

The model is resnet50(num_classes=7) in train mode (random init: speed does not depend on the
weights); the regime's learning rates become SGD parameter groups (momentum 0.9) and blocks at
lr 0 are frozen (requires_grad False), as the study did. Inputs are random; labels cycle 0..6.
Prints one JSON line: {"framework": "pytorch", "device": ..., "ms_per_step": ..., ...}.
"""
import argparse
import json
import sys
import time

BLOCKS = ['conv1', 'bn1', 'layer1', 'layer2', 'layer3', 'layer4', 'fc']
# Mirrors src/shared/regimes.ts: (backbone lr, fc lr, frozen blocks).
REGIMES = {
    'linear': (0.0, 0.005, []),
    'finetune': (0.01, 0.01, []),
    'discriminative': (0.001, 0.01, []),
    'frozen-lower': (0.001, 0.01, ['layer1', 'layer2']),
}


def block_rates(regime):
    backbone, fc, frozen = REGIMES[regime]
    return {b: fc if b == 'fc' else (0.0 if b in frozen else backbone) for b in BLOCKS}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--regime', choices=sorted(REGIMES), default='discriminative')
    parser.add_argument('--size', type=int, default=224)
    parser.add_argument('--batch', type=int, default=32)
    parser.add_argument('--steps', type=int, default=5)
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--device', default='auto', help='cuda, cpu or auto (cuda when available)')
    parser.add_argument('--threads', type=int, default=0, help='torch.set_num_threads (0: leave as is)')
    args = parser.parse_args()
    try:
        import torch
        import torchvision
    except ImportError as err:
        print(json.dumps({'framework': 'pytorch', 'error': f'PyTorch is not installed here ({err})'}))
        return 2
    if args.threads:
        torch.set_num_threads(args.threads)
    device = ('cuda' if torch.cuda.is_available() else 'cpu') if args.device == 'auto' else args.device
    torch.manual_seed(0)
    model = torchvision.models.resnet50(num_classes=7).to(device).train()
    rates = block_rates(args.regime)
    groups = {}
    for name, param in model.named_parameters():
        lr = rates[name.split('.')[0]]
        param.requires_grad_(lr > 0)
        if lr > 0:
            groups.setdefault(lr, []).append(param)
    optimizer = torch.optim.SGD([{'params': p, 'lr': lr} for lr, p in groups.items()], lr=0.01, momentum=0.9)
    x = torch.randn(args.batch, 3, args.size, args.size, device=device)
    y = torch.arange(args.batch, device=device) % 7
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss

    def sync():
        if device.startswith('cuda'):
            torch.cuda.synchronize()

    for _ in range(args.warmup):
        step()
    sync()
    started = time.perf_counter()
    for _ in range(args.steps):
        loss = step()
    loss.item()
    sync()
    ms = (time.perf_counter() - started) * 1000 / args.steps
    print(json.dumps({
        'framework': 'pytorch',
        'torch': torch.__version__,
        'device': torch.cuda.get_device_name(0) if device.startswith('cuda') else f'cpu ({torch.get_num_threads()} threads)',
        'regime': args.regime,
        'size': args.size,
        'batch': args.batch,
        'steps': args.steps,
        'ms_per_step': round(ms, 2),
        'images_per_s': round(args.batch * 1000 / ms, 1),
    }))
    return 0


if __name__ == '__main__':
    sys.exit(main())
