#!/usr/bin/python3
"""PyTorch's time for each of ResNet50's convolution shapes, the reference column of `npm run bench:peak`.

    /usr/bin/python3 scripts/browser-bench/torch_convs.py --shapes '[{"size": 16, "ci": 64, ...}]' --batch 16 [--threads N]

torch.nn.functional.conv2d on NCHW float32 (oneDNN on the CPU), fastest of 5 runs after a warm-up.
Prints one JSON line: {"ms": [...], "threads", "torch"}. Exits 3 when torch is not installed.
"""
import argparse
import json
import os
import sys
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--shapes', required=True)
    parser.add_argument('--batch', type=int, default=16)
    parser.add_argument('--threads', type=int, default=0)
    args = parser.parse_args()
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        sys.exit(3)
    threads = args.threads or os.cpu_count() or 1
    torch.set_num_threads(threads)
    ms = []
    with torch.no_grad():
        for c in json.loads(args.shapes):
            x = torch.randn(args.batch, c['ci'], c['size'], c['size'])
            w = torch.randn(c['co'], c['ci'], c['k'], c['k'])
            F.conv2d(x, w, stride=c['stride'], padding=c['pad'])
            best = float('inf')
            for _ in range(5):
                start = time.perf_counter()
                F.conv2d(x, w, stride=c['stride'], padding=c['pad'])
                best = min(best, time.perf_counter() - start)
            ms.append(best * 1000)
    print(json.dumps({'ms': ms, 'threads': threads, 'torch': torch.__version__}))


if __name__ == '__main__':
    main()
