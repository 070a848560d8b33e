#!/usr/bin/python3
"""PyTorch's time for each of ResNet50's convolution shapes: forward, input gradient and weight gradient,
the reference columns of `npm run bench:peak`.

    /usr/bin/python3 scripts/browser-bench/torch_convs.py --shapes '[{"size": 16, "ci": 64, ...}]' --batch 16 [--threads N]

torch.nn.functional.conv2d and torch.nn.grad.conv2d_input / conv2d_weight on NCHW float32 (oneDNN on
the CPU), fastest of 5 runs after a warm-up. Prints one JSON line: {"forward": [...], "input": [...],
"filter": [...], "threads", "torch"} (ms). Exits 3 when torch is not installed.
"""
import argparse
import json
import os
import sys
import time


def fastest(run, reps=5):
    run()
    best = float('inf')
    for _ in range(reps):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--shapes', required=True)
    parser.add_argument('--batch', type=int, default=16)
    parser.add_argument('--threads', type=int, default=0)
    args = parser.parse_args()
    try:
        import torch
        import torch.nn.functional as F
        from torch.nn.grad import conv2d_input, conv2d_weight
    except ImportError:
        sys.exit(3)
    threads = args.threads or os.cpu_count() or 1
    torch.set_num_threads(threads)
    out = {'forward': [], 'input': [], 'filter': []}
    with torch.no_grad():
        for c in json.loads(args.shapes):
            x = torch.randn(args.batch, c['ci'], c['size'], c['size'])
            w = torch.randn(c['co'], c['ci'], c['k'], c['k'])
            s, p = c['stride'], c['pad']
            y = F.conv2d(x, w, stride=s, padding=p)
            out['forward'].append(fastest(lambda: F.conv2d(x, w, stride=s, padding=p)))
            out['input'].append(float('nan') if c['ci'] == 3 else fastest(lambda: conv2d_input(x.shape, w, y, stride=s, padding=p)))
            out['filter'].append(fastest(lambda: conv2d_weight(x, w.shape, y, stride=s, padding=p)))
    print(json.dumps({**out, 'threads': threads, 'torch': torch.__version__}).replace('NaN', 'null'))


if __name__ == '__main__':
    main()
