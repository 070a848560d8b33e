"""Train an Expression Lab run with PyTorch DistributedDataParallel.

Reads two files written by Expression Lab beside this script:
  config.json  the run's settings (regime learning rates, momentum, schedule, augmentations, ...)
  split.json   which image is in train, validation and test, so the split is the lab's exactly
and trains torchvision's resnet50 the way the lab does. Writes to --out (rank 0 only):
  metrics.json        per epoch and per batch, in the lab's run format (import it in the lab)
  final.safetensors   weights after the last epoch, torchvision names
  best.safetensors    weights of the epoch with the lowest validation loss
  predictions.json    logits of the test images, to check the lab predicts the same

Start it as one process, as N processes on this machine (`--nproc N`: gloo on CPU, NCCL on
GPUs), or under torchrun (several GPUs or nodes). See README.md.
"""

import argparse
import io
import json
import math
import os
import platform
import socket
import struct
import sys
import threading
import time
import zipfile
from datetime import timedelta
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn.functional as F
from PIL import Image, ImageOps
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, Dataset, DistributedSampler, Subset
from torchvision import transforms
from torchvision.models import resnet50

HERE = Path(__file__).resolve().parent
# How long a process waits for the others in one collective (rendezvous included) before failing with
# an error instead of hanging: far more than any step or rank 0's final writes take.
COLLECTIVE_TIMEOUT = timedelta(minutes=10)
BLOCKS = ("conv1", "bn1", "layer1", "layer2", "layer3", "layer4", "fc")
IMAGENET_MEAN = torch.tensor([0.485, 0.456, 0.406]).view(3, 1, 1)
IMAGENET_STD = torch.tensor([0.229, 0.224, 0.225]).view(3, 1, 1)


def parse_args():
    parser = argparse.ArgumentParser(description="Train an Expression Lab run with PyTorch DDP.")
    parser.add_argument(
        "--data", help="the dataset the lab imported: a zip, a folder of class folders, or FER2013's CSV"
    )
    parser.add_argument("--out", default="results", help="folder for metrics.json and the weights (default: results)")
    parser.add_argument("--nproc", type=int, default=1, help="processes to start here when not under torchrun")
    parser.add_argument("--epochs", type=int, help="override the run's number of epochs")
    parser.add_argument(
        "--max-steps", type=int, default=0, help="stop each epoch after this many steps (0: whole epoch)"
    )
    parser.add_argument(
        "--weights", help="starting weights: imagenet, random, or a .safetensors file (default: config.json)"
    )
    parser.add_argument("--workers", type=int, default=0, help="DataLoader worker processes per training process")
    parser.add_argument("--predict-limit", type=int, default=64, help="test images whose logits go to predictions.json")
    parser.add_argument("--cpu", action="store_true", help="train on the CPU even when GPUs are present")
    return parser.parse_args()


def normalise_path(name):
    """The lab's normalisePath: forward slashes, no empty or '.' segments."""
    return "/".join(s for s in name.replace("\\", "/").split("/") if s not in ("", "."))


class ImageSource:
    """Reads an image by the name split.json gives it: a zip member, a file in a folder, or `csv:row N`."""

    def __init__(self, path):
        self.path = Path(path)
        if self.path.is_dir():
            self.kind = "folder"
        elif self.path.suffix.lower() == ".csv":
            self.kind = "csv"
        elif zipfile.is_zipfile(self.path):
            self.kind = "zip"
        else:
            raise SystemExit(
                f"{path} is not a zip, a FER2013 .csv or a folder: "
                "pass the dataset you imported in the lab with --data."
            )
        self._zip = None
        self._zip_pid = None
        self._members = None
        self._csv = None

    def load(self, name):
        """uint8 [3, H, W]: grayscale repeated to RGB, alpha dropped, EXIF rotation applied (as the browser does)."""
        if self.kind == "csv":
            return self._csv_row(int(name.split(" ")[-1]))
        if self.kind == "folder":
            data = (self.path / name).read_bytes()
        else:
            data = self._zip_member(name)
        image = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
        return torch.from_numpy(np.array(image)).permute(2, 0, 1).contiguous()

    def _zip_member(self, name):
        # Opened once per process: spawned processes cannot receive a ZipFile, and DataLoader workers
        # forked from a process that had it open would share one file offset.
        if self._zip is None or self._zip_pid != os.getpid():
            self._zip, self._zip_pid = zipfile.ZipFile(self.path), os.getpid()
            self._members = {normalise_path(info.filename): info for info in self._zip.infolist()}
        if name not in self._members:
            raise SystemExit(f'"{name}" is not in {self.path}: is this the same dataset the lab exported from?')
        return self._zip.read(self._members[name])

    def _csv_row(self, row):
        # Rows are counted as the lab counts them: line 1 is the header, blank lines included.
        if self._csv is None:
            lines = self.path.read_bytes().split(b"\n")
            header = [h.strip().strip(b'"').decode() for h in lines[0].split(b",")]
            self._csv = (lines, header.index("pixels"))
        lines, pixels_at = self._csv
        field = lines[row - 1].split(b",")[pixels_at].strip().strip(b'"')
        gray = torch.tensor([int(v) for v in field.split()], dtype=torch.uint8).view(1, 48, 48)
        return gray.expand(3, 48, 48).contiguous()


def to_input_pixels(image, size, resize_mode):
    """The lab's loadPixels: float32 0..255, centre crop (Python's round) if asked, then a
    bilinear resize (half-pixel centres, no antialiasing), exactly as tf.image.resizeBilinear."""
    x = image.float()
    _, height, width = x.shape
    if resize_mode == "center-crop" and width != height:
        side = min(width, height)
        top, left = round((height - side) / 2), round((width - side) / 2)
        x = x[:, top : top + side, left : left + side]
    if x.shape[1] != size or x.shape[2] != size:
        x = F.interpolate(x[None], size=(size, size), mode="bilinear", align_corners=False)[0]
    return x


def normalise(x):
    """ToTensor + Normalize in the lab's order: x / 255, minus the ImageNet mean, over the std."""
    return (x / 255 - IMAGENET_MEAN) / IMAGENET_STD


def augmentation(augment):
    """The lab's augmentations as torchvision transforms, applied to resized 0..255 pixels (fill 0 is black)."""
    steps = []
    if augment["hflip"]["enabled"] and augment["hflip"]["p"] > 0:
        steps.append(transforms.RandomHorizontalFlip(p=augment["hflip"]["p"]))
    if augment["rotate"]["enabled"] and augment["rotate"]["degrees"] > 0:
        steps.append(
            transforms.RandomRotation(augment["rotate"]["degrees"], transforms.InterpolationMode.BILINEAR, fill=0)
        )
    perspective = augment["perspective"]
    if perspective["enabled"] and perspective["p"] > 0 and perspective["distortion"] > 0:
        steps.append(
            transforms.RandomPerspective(
                perspective["distortion"], perspective["p"], transforms.InterpolationMode.BILINEAR, fill=0
            )
        )
    return transforms.Compose(steps) if steps else None


class SplitImages(Dataset):
    """One split of split.json: (normalised image [3, S, S], class index)."""

    def __init__(self, source, entries, config, augment=None):
        self.source, self.entries, self.augment = source, entries, augment
        self.size, self.resize_mode = config["inputSize"], config["resizeMode"]

    def __len__(self):
        return len(self.entries)

    def __getitem__(self, i):
        name, label = self.entries[i]
        x = to_input_pixels(self.source.load(name), self.size, self.resize_mode)
        if self.augment is not None:
            x = self.augment(x)
        return normalise(x), label


DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64}


def read_safetensors(path):
    """A .safetensors file (8-byte little-endian header length, JSON header, raw data) as float tensors."""
    data = Path(path).read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    start = 8 + length
    tensors = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        begin, end = meta["data_offsets"]
        raw = bytearray(data[start + begin : start + end])
        tensors[name] = torch.frombuffer(raw, dtype=DTYPES[meta["dtype"]]).reshape(meta["shape"]).float()
    return tensors


def write_safetensors(path, state_dict, metadata):
    """Writes float32 tensors as safetensors (what the lab reads); BN's integer step counters are left out."""
    tensors = {
        k: v.detach().to("cpu", torch.float32).contiguous()
        for k, v in state_dict.items()
        if not k.endswith("num_batches_tracked")
    }
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name, tensor in tensors.items():
        blob = tensor.numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def build_model(num_classes, start, seed):
    """resnet50 with a fresh num_classes-way fc, from ImageNet weights, a .safetensors file or a seeded random init."""
    torch.manual_seed(seed)
    model = resnet50(weights="IMAGENET1K_V1" if start == "imagenet" else None)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    if start not in ("imagenet", "random"):
        path = Path(start) if Path(start).is_absolute() or Path(start).exists() else HERE / start
        state = {k.removeprefix("module."): v for k, v in read_safetensors(path).items()}
        if state.get("fc.weight") is not None and state["fc.weight"].shape[0] != num_classes:
            state = {
                k: v for k, v in state.items() if not k.startswith("fc.")
            }  # ImageNet's head: replaced, as in the lab
        missing, unexpected = model.load_state_dict(state, strict=False)
        missing = [k for k in missing if not k.endswith("num_batches_tracked") and not k.startswith("fc.")]
        if missing or unexpected:
            raise SystemExit(
                f"{path} is not a torchvision resnet50 state_dict (missing {missing[:3]}, unexpected {unexpected[:3]})."
            )
    return model


def parameter_groups(model, learning_rates):
    """One SGD group per distinct learning rate; blocks at 0 are frozen (requires_grad False, no gradient at all)."""
    groups = {}
    for name, parameter in model.named_parameters():
        lr = learning_rates[name.split(".")[0]]
        parameter.requires_grad_(lr > 0)
        if lr > 0:
            groups.setdefault(lr, []).append(parameter)
    if not groups:
        raise SystemExit("Every learning rate is 0: nothing would train.")
    return [{"params": params, "lr": lr, "base_lr": lr} for lr, params in groups.items()]


def learning_rate_scale(schedule, epoch, epochs):
    """The lab's per-epoch multiplier (1-based epoch): constant, StepLR or CosineAnnealingLR(T_max=epochs)."""
    done = epoch - 1
    if schedule["kind"] == "step":
        return schedule["gamma"] ** (done // max(1, schedule["everyEpochs"]))
    if schedule["kind"] == "cosine":
        return 0.5 * (1 + math.cos(math.pi * done / max(1, epochs)))
    return 1.0


def class_weights(labels, num_classes):
    """Inverse training frequency, mean sample weight 1 (sklearn's "balanced"); absent classes 0."""
    counts = torch.bincount(torch.tensor(labels), minlength=num_classes).float()
    present = int((counts > 0).sum())
    return torch.where(counts > 0, len(labels) / (present * counts.clamp(min=1)), torch.zeros_like(counts))


def all_reduce(tensor):
    """Sum over processes (in place); nothing to do in a single process."""
    if dist.is_initialized():
        dist.all_reduce(tensor)
    return tensor


def loss_parts(logits, labels, weights):
    """Σ w_y · nll over the batch and Σ w_y (CrossEntropyLoss(weight=w) is their ratio)."""
    nll = F.cross_entropy(logits, labels, reduction="none")
    w = weights[labels] if weights is not None else torch.ones_like(nll)
    return (nll * w).sum(), w.sum()


@torch.no_grad()
def evaluate(model, dataset, batch_size, weights, num_classes, rank, world, device):
    """Loss, accuracy and confusion[true][predicted] over a split, each process taking every world-th image."""
    model.eval()
    confusion = torch.zeros(num_classes, num_classes, dtype=torch.int64, device=device)
    sums = torch.zeros(2, dtype=torch.float64, device=device)
    shard = Subset(dataset, range(rank, len(dataset), world))
    for x, y in DataLoader(shard, batch_size=batch_size):
        x, y = x.to(device), y.to(device)
        logits = model(x)
        loss_sum, weight_sum = loss_parts(logits, y, weights)
        sums += torch.stack([loss_sum, weight_sum]).double()
        confusion.index_put_((y, logits.argmax(1)), torch.ones_like(y), accumulate=True)
    all_reduce(confusion)
    all_reduce(sums)
    total = int(confusion.sum())
    per_class = (confusion.diag() / confusion.sum(1).clamp(min=1)).tolist()
    return {
        "loss": float(sums[0] / sums[1]) if total else 0.0,
        "accuracy": float(confusion.diag().sum()) / total if total else 0.0,
        "perClassAccuracy": per_class,
        "confusion": confusion.tolist(),
    }


def train_epoch(ddp, loader, optimizer, weights, device, epoch, max_steps, on_batch):
    """One epoch of SGD steps; the loss is normalised by the weight of the GLOBAL batch, so with DDP's
    gradient averaging every step equals a single-process step on the same global batch."""
    world = dist.get_world_size() if dist.is_initialized() else 1
    steps = min(len(loader), max_steps) if max_steps > 0 else len(loader)
    totals = torch.zeros(3, dtype=torch.float64, device=device)
    started = time.perf_counter()
    for step, (x, y) in enumerate(loader):
        if step >= steps:
            break
        x, y = x.to(device), y.to(device)
        logits = ddp(x)
        loss_sum, weight_sum = loss_parts(logits, y, weights)
        batch = all_reduce(
            torch.stack(
                [
                    loss_sum.detach(),
                    weight_sum.detach(),
                    (logits.argmax(1) == y).sum().float(),
                    torch.tensor(float(len(y)), device=device),
                ]
            ).double()
        )
        optimizer.zero_grad(set_to_none=True)
        (loss_sum * world / batch[1]).backward()
        optimizer.step()
        loss, correct, size = float(batch[0] / batch[1]), float(batch[2]), float(batch[3])
        totals += torch.tensor([loss * size, correct, size], dtype=torch.float64, device=device)
        on_batch(
            {
                "epoch": epoch,
                "batch": step + 1,
                "batchesPerEpoch": steps,
                "loss": loss,
                "accuracy": correct / size,
                "imagesPerSecond": float(totals[2]) / max(1e-6, time.perf_counter() - started),
            }
        )
    return float(totals[0] / totals[2]), float(totals[1] / totals[2])


def device_description(device, world):
    kind = (
        torch.cuda.get_device_name(device)
        if device.type == "cuda"
        else f"CPU ({platform.processor() or platform.machine()})"
    )
    nodes = int(os.environ.get("GROUP_WORLD_SIZE", os.environ.get("NNODES", "1")))
    backend = dist.get_backend() if dist.is_initialized() else "single process"
    where = f"{world} × {kind}" if world > 1 else kind
    return {
        "framework": f"PyTorch {torch.__version__}",
        "device": where,
        "processes": world,
        "nodes": nodes,
        "backend": backend,
        "host": socket.gethostname(),
    }


def run_figures(history):
    """The lab's one rule for a run's best epoch (src/shared/best-epoch.ts): the lowest validation loss,
    the earlier on a tie; it is what early stopping and best.safetensors use. Beside it, the final epoch's
    validation accuracy: the figure the seed study reports ("after N epochs")."""
    best = None
    for m in history:
        if best is None or m["validationLoss"] < best["validationLoss"]:
            best = m
    last = history[-1]
    return {
        "bestEpoch": best["epoch"],
        "bestValidationAccuracy": best["validationAccuracy"],
        "bestValidationLoss": best["validationLoss"],
        "finalEpoch": last["epoch"],
        "finalValidationAccuracy": last["validationAccuracy"],
    }


class RunWriter:
    """Rank 0's outputs: metrics.json rewritten after every epoch, so an interrupted run still has its numbers."""

    def __init__(self, out, project, config, split, trained_in, start):
        self.out = Path(out)
        self.out.mkdir(parents=True, exist_ok=True)
        counts = {
            name: [sum(1 for _, c in split[name] if c == k) for k in range(len(split["classes"]))]
            for name in ("train", "validation", "test")
        }
        self.run = {
            "format": "expression-lab/run@1",
            "architecture": "torchvision resnet50 (v1.5)",
            "classes": split["classes"],
            "startingWeights": start,
            "preprocessing": project["preprocessing"],
            "dataset": {"name": project["dataset"]["name"], "counts": counts},
            "trainedIn": trained_in,
            "training": {
                "regime": config["regime"],
                "config": config,
                "epochs": 0,
                "bestValidationAccuracy": None,
                "bestValidationLoss": None,
                "finalValidationAccuracy": None,
            },
            "history": [],
            "batches": [],
            "bestEpoch": 0,
            "reason": "running",
            "totalMs": 0,
            "test": None,
            "weights": None,
        }

    def epoch(self, metrics):
        history = self.run["history"]
        history.append(metrics)
        figures = run_figures(history)
        training = self.run["training"]
        training["epochs"] = len(history)
        training["bestValidationAccuracy"] = figures["bestValidationAccuracy"]
        training["bestValidationLoss"] = figures["bestValidationLoss"]
        training["finalValidationAccuracy"] = figures["finalValidationAccuracy"]
        self.run["bestEpoch"] = figures["bestEpoch"]
        self.save()
        print(
            f"epoch {metrics['epoch']}: train loss {metrics['trainLoss']:.4f},"
            f" validation loss {metrics['validationLoss']:.4f},"
            f" accuracy {100 * metrics['validationAccuracy']:.2f}% ({metrics['wallMs'] / 1000:.1f} s)",
            flush=True,
        )

    def save(self):
        (self.out / "metrics.json").write_text(json.dumps(self.run, indent=1))


@torch.no_grad()
def predictions(model, dataset, limit, device):
    """Logits of the first `limit` images of a split, for checking that the lab predicts the same."""
    model.eval()
    out = []
    for i in range(min(limit, len(dataset))):
        x, label = dataset[i]
        logits = model(x[None].to(device))[0]
        out.append({"name": dataset.entries[i][0], "label": label, "logits": logits.tolist()})
    return out


def train(rank, world, local_rank, args):
    """Everything one process does; only rank 0 writes files."""
    use_cuda = torch.cuda.is_available() and not args.cpu
    device = torch.device(f"cuda:{local_rank}" if use_cuda else "cpu")
    if use_cuda:
        torch.cuda.set_device(device)
    else:
        torch.set_num_threads(max(1, (os.cpu_count() or 1) // int(os.environ.get("LOCAL_WORLD_SIZE", world))))
    if world > 1 and not dist.is_initialized():
        dist.init_process_group("nccl" if use_cuda else "gloo", rank=rank, world_size=world, timeout=COLLECTIVE_TIMEOUT)
    project = json.loads((HERE / "config.json").read_text())
    split = json.loads((HERE / "split.json").read_text())
    config = dict(project["train"], epochs=args.epochs or project["train"]["epochs"])
    classes = split["classes"]
    if config["batchSize"] % world:
        raise SystemExit(
            f"The batch size {config['batchSize']} does not split evenly over {world} processes;"
            " use a process count that divides it."
        )
    source = ImageSource(args.data or HERE / project["dataset"]["name"])
    augment = augmentation(config["augment"])
    train_set = SplitImages(source, split["train"], config, augment)
    validation_set, test_set = (
        SplitImages(source, split["validation"], config),
        SplitImages(source, split["test"], config),
    )
    start = args.weights or project["startingWeights"]["use"]
    model = build_model(len(classes), start, config["seed"]).to(device)
    optimizer = torch.optim.SGD(parameter_groups(model, config["learningRates"]), lr=0.1, momentum=config["momentum"])
    ddp = DistributedDataParallel(model, device_ids=[local_rank] if use_cuda else None) if world > 1 else model
    only_fc = all((config["learningRates"][b] > 0) == (b == "fc") for b in BLOCKS)
    # The lab's linear probe runs the frozen backbone in inference mode (BN statistics untouched)
    # unless it augments or was asked for the seed's exact behaviour; every other regime is model.train().
    backbone_frozen_eval = only_fc and augment is None and not config["exactSeedBehaviour"]
    weights = (
        class_weights([c for _, c in split["train"]], len(classes)).to(device) if config["classWeighted"] else None
    )
    sampler = DistributedSampler(train_set, num_replicas=world, rank=rank, shuffle=True, seed=config["seed"])
    loader = DataLoader(train_set, batch_size=config["batchSize"] // world, sampler=sampler, num_workers=args.workers)
    torch.manual_seed(config["seed"] + rank)  # augmentation draws differ per process, repeatably
    writer = (
        RunWriter(args.out, project, config, split, device_description(device, world), start) if rank == 0 else None
    )
    on_batch = writer.run["batches"].append if writer else (lambda _: None)
    started, best_epoch, best_loss, best_state, reason = time.perf_counter(), 0, math.inf, None, "completed"
    for epoch in range(1, config["epochs"] + 1):
        epoch_started = time.perf_counter()
        scale = learning_rate_scale(config["schedule"], epoch, config["epochs"])
        for group in optimizer.param_groups:
            group["lr"] = group["base_lr"] * scale
        sampler.set_epoch(epoch)
        model.train(not backbone_frozen_eval)
        train_loss, train_accuracy = train_epoch(
            ddp, loader, optimizer, weights, device, epoch, args.max_steps, on_batch
        )
        train_ms = 1000 * (time.perf_counter() - epoch_started)
        validation = evaluate(model, validation_set, config["batchSize"], weights, len(classes), rank, world, device)
        if best_epoch == 0 or validation["loss"] < best_loss:  # the rule of run_figures (best-epoch.ts)
            best_epoch, best_loss = epoch, validation["loss"]
            best_state = {k: v.detach().clone().cpu() for k, v in model.state_dict().items()}
        if writer:
            writer.epoch(
                {
                    "epoch": epoch,
                    "trainLoss": train_loss,
                    "trainAccuracy": train_accuracy,
                    "validationLoss": validation["loss"],
                    "validationAccuracy": validation["accuracy"],
                    "perClassAccuracy": validation["perClassAccuracy"],
                    "confusion": validation["confusion"],
                    "learningRateScale": scale,
                    "trainMs": train_ms,
                    "wallMs": 1000 * (time.perf_counter() - epoch_started),
                }
            )
        if config["earlyStoppingPatience"] > 0 and epoch - best_epoch >= config["earlyStoppingPatience"]:
            reason = "early-stopped"
            break
    final_state = {k: v.detach().clone().cpu() for k, v in model.state_dict().items()}
    if config["earlyStoppingPatience"] > 0:
        model.load_state_dict(best_state)  # the lab keeps the best epoch's weights when early stopping is on
    test = (
        evaluate(model, test_set, config["batchSize"], weights, len(classes), rank, world, device)
        if len(test_set)
        else None
    )
    if writer:
        metadata = {"format": "pt", "classes": json.dumps(classes)}
        write_safetensors(writer.out / "final.safetensors", final_state, metadata)
        write_safetensors(writer.out / "best.safetensors", best_state, metadata)
        kept = "best.safetensors" if config["earlyStoppingPatience"] > 0 else "final.safetensors"
        checked = test_set if len(test_set) else validation_set
        (writer.out / "predictions.json").write_text(
            json.dumps(
                {
                    "weights": kept,
                    "inputSize": config["inputSize"],
                    "images": predictions(model, checked, args.predict_limit, device),
                }
            )
        )
        writer.run.update(
            reason=reason,
            totalMs=1000 * (time.perf_counter() - started),
            test=test,
            weights={"final": "final.safetensors", "best": "best.safetensors", "kept": kept},
        )
        writer.save()
        print(
            f"wrote {writer.out / 'metrics.json'}, final.safetensors, best.safetensors"
            f" ({reason}, best epoch {best_epoch})"
        )
    if dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()
        # Leave without running destructors: DDP still holds the group, and torch 1.13's gloo can
        # deadlock when that last reference goes (the main thread, holding the GIL, waits in
        # ~ProcessGroupGloo for a worker thread that waits for the GIL to free a finished collective's
        # tensors; seen in CI: one process stuck for good after every file was written).
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def exit_with_launcher(launcher):
    """Ends this process when the --nproc launcher (pid `launcher`) that started it is gone, killed
    rather than interrupted, even before this process got here: otherwise a process waiting for a
    dead peer would run on, unseen, until the collective timeout."""

    def watch():
        while os.getppid() == launcher:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def spawned(rank, world, port, launcher, args):
    """Entry of a process started by --nproc: a local rendezvous on `port`."""
    exit_with_launcher(launcher)
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), LOCAL_WORLD_SIZE=str(world))
    train(rank, world, rank, args)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    args = parse_args()
    if "RANK" in os.environ and "WORLD_SIZE" in os.environ:
        # Under torchrun (or any launcher that sets the env:// variables).
        world = int(os.environ["WORLD_SIZE"])
        if world > 1:
            dist.init_process_group(
                "nccl" if torch.cuda.is_available() and not args.cpu else "gloo", timeout=COLLECTIVE_TIMEOUT
            )
        train(int(os.environ["RANK"]), world, int(os.environ.get("LOCAL_RANK", "0")), args)
    elif args.nproc > 1:
        # Debian's torch ships torchrun broken: start the processes here instead.
        mp.spawn(spawned, args=(args.nproc, free_port(), os.getpid(), args), nprocs=args.nproc, join=True)
    else:
        train(0, 1, 0, args)


if __name__ == "__main__":
    main()
