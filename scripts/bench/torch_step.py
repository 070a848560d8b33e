#!/usr/bin/python3
"""PyTorch's time for the lab's training step, the reference column of `npm run bench`.

    /usr/bin/python3 scripts/bench/torch_step.py --rates '{"conv1": 0.01, ...}' --size 64 \
        [--batch 16] [--steps 3] [--threads N] [--device cpu|cuda|auto]

The same step as the lab: torchvision resnet50 (random init, 7-way fc), model.train() (BatchNorm on
batch statistics), cross-entropy, torch.optim.SGD(momentum=0.9) with one parameter group per
learning rate; a block whose rate is 0 has requires_grad False, so autograd skips what it need not
compute, as PyTorch users get it. Input: seeded N(0,1) images [batch, 3, size, size] and labels
i % 7. One warm-up step, then `steps` timed steps. Prints one JSON line:
{"msPerStep" (mean), "minMsPerStep" (fastest step), "steps", "threads", "device", "torch", "torchvision"}. Exits 3 when torch
is not installed. `npm run bench` runs it on the CPU, `npm run bench:gpu` with --device cuda (loss.item() waits for the GPU,
so each timed step includes its kernels).
"""
import argparse
import json
import sys
import time

BLOCKS = ['conv1', 'bn1', 'layer1', 'layer2', 'layer3', 'layer4', 'fc']


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--rates', required=True, help='JSON object: learning rate per block (conv1 … fc), 0 = frozen')
    parser.add_argument('--size', type=int, default=64)
    parser.add_argument('--batch', type=int, default=16)
    parser.add_argument('--steps', type=int, default=3)
    parser.add_argument('--threads', type=int, default=0, help='torch.set_num_threads; 0 = all logical cores')
    parser.add_argument('--device', default='cpu', help='cpu, cuda, or auto (cuda when available)')
    args = parser.parse_args()
    rates = json.loads(args.rates)
    missing = [b for b in BLOCKS if b not in rates]
    if missing:
        sys.exit(f'--rates lacks {", ".join(missing)}; give a learning rate for each of {", ".join(BLOCKS)}')

    try:
        import torch
        import torchvision
    except ImportError as err:
        print(f'torch_step.py: PyTorch is not installed for {sys.executable} ({err}); '
              'on Debian: apt-get install python3-torch python3-torchvision', file=sys.stderr)
        sys.exit(3)

    import os
    threads = args.threads or os.cpu_count() or 1
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    device = ('cuda' if torch.cuda.is_available() else 'cpu') if args.device == 'auto' else args.device
    model = torchvision.models.resnet50(num_classes=7).to(device)
    model.train()
    groups = {}
    for name, p in model.named_parameters():
        lr = float(rates[name.split('.')[0]])
        p.requires_grad_(lr > 0)
        if lr > 0:
            groups.setdefault(lr, []).append(p)
    optimizer = torch.optim.SGD([{'params': ps, 'lr': lr} for lr, ps in groups.items()], lr=0.0, momentum=0.9)
    x = torch.randn(args.batch, 3, args.size, args.size, generator=torch.Generator().manual_seed(2)).to(device)
    y = (torch.arange(args.batch) % 7).to(device)
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    step()
    times = []
    for _ in range(args.steps):
        started = time.perf_counter()
        step()
        times.append((time.perf_counter() - started) * 1000)
    ms = sum(times) / len(times)
    print(json.dumps({'msPerStep': round(ms, 1), 'minMsPerStep': round(min(times), 1), 'steps': args.steps,
                      'threads': torch.get_num_threads(),
                      'device': torch.cuda.get_device_name(0) if device.startswith('cuda') else 'cpu',
                      'torch': torch.__version__, 'torchvision': torchvision.__version__}))


if __name__ == '__main__':
    main()
