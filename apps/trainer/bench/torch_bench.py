#!/usr/bin/env python3
"""PyTorch side of `logitlab bench`: the same four workloads, shapes, optimizer and timing protocol.

Run by the bench (one process per workload and BLAS thread count, interleaved with the logitlab runs) as
    OPENBLAS_NUM_THREADS=1 python3 torch_bench.py --workload convnet --repeats 5 --warmup 3 --steps 10 --threads 2
and prints ONE JSON line: {"name", "trainSamplesPerSec", "inferSamplesPerSec", "peakRssMB", "torch", "blasThreads"}.
`--sgemm N` instead measures the BLAS under torch (OpenBLAS when libopenblas0-pthread provides libblas.so.3):
the GFLOP/s of an N x N x N float32 matmul, the roofline the bench reports per workload.
Timing: untimed warm-up (at least `warmup` steps AND `warmup-sec` seconds: oneDNN needs ~20 steps before
it reaches full speed), then `repeats` timed blocks of `steps` steps each; samples/s is the median over blocks. Random data, fixed seed; nothing is downloaded.
"""
import argparse
import json
import os
import re
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class ConvNet(nn.Module):
    """The seed convnet (PyTorch's MNIST example) with the log-softmax head, trained with nll_loss."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
        self.conv2 = nn.Conv2d(10, 20, kernel_size=5)
        self.conv2_drop = nn.Dropout2d()
        self.fc1 = nn.Linear(320, 50)
        self.fc2 = nn.Linear(50, 10)

    def forward(self, x):
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(F.max_pool2d(self.conv2_drop(self.conv2(x)), 2))
        x = x.view(-1, 320)
        x = F.dropout(F.relu(self.fc1(x)), training=self.training)
        return F.log_softmax(self.fc2(x), dim=1)


class SumPoolNet(nn.Module):
    """Montavon et al. 2017: 1568 -> 400 ReLU -> sum-pool 4 -> 100 -> 400 ReLU -> sum -> 1."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(1568, 400)
        self.fc2 = nn.Linear(100, 400)

    def forward(self, x):
        h = F.relu(self.fc1(x))
        h = h.view(-1, 100, 4).sum(dim=2)
        h = F.relu(self.fc2(h))
        return h.sum(dim=1, keepdim=True)


class Vae(nn.Module):
    """784-30 linear VAE with a tanh decoder (logitlab's Vae({ input: 784, latent: 30 }))."""

    def __init__(self):
        super().__init__()
        self.mu = nn.Linear(784, 30)
        self.log_var = nn.Linear(784, 30)
        self.decoder = nn.Linear(30, 784)

    def forward(self, x):
        mu, log_var = self.mu(x), self.log_var(x)
        z = mu + torch.exp(0.5 * log_var) * torch.randn_like(mu) if self.training else mu
        return torch.tanh(self.decoder(z)), mu, log_var


class BnMlp(nn.Module):
    """BatchNorm -> Dropout -> Linear blocks 784-256-128-10 with ReLU between (logitlab's BnMlp)."""

    def __init__(self, sizes=(784, 256, 128, 10), p=0.2):
        super().__init__()
        layers = []
        for i in range(len(sizes) - 1):
            layers += [nn.BatchNorm1d(sizes[i]), nn.Dropout(p), nn.Linear(sizes[i], sizes[i + 1])]
            if i + 2 < len(sizes):
                layers.append(nn.ReLU())
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


def vae_loss(out, x):
    recon, mu, log_var = out
    mse = F.mse_loss(recon, x, reduction="sum")
    kl = -0.5 * torch.sum(1 + log_var - mu.pow(2) - log_var.exp())
    return mse + kl


# SGD learning rates per workload (as in workloads.ts): small where a summed / 100-scaled loss would
# otherwise diverge and leave a dead network, which no longer measures the real work.
LR = {"convnet": 0.01, "sumpool-mlp": 1e-4, "vae": 1e-4, "bn-mlp": 0.01}


def workload(name):
    """(model, batch, input tensor, target tensor, loss fn), matching apps/trainer/src/bench/workloads.ts."""
    g = torch.Generator().manual_seed(0)
    if name == "convnet":
        b = 64
        x = torch.randn(b, 1, 28, 28, generator=g)
        y = torch.randint(0, 10, (b,), generator=g)
        return ConvNet(), b, x, y, lambda out, t: F.nll_loss(out, t)
    if name == "sumpool-mlp":
        b = 64
        x = torch.rand(b, 1568, generator=g) * 2 - 0.5
        y = (torch.rand(b, 1, generator=g) > 0.5).float() * 100
        return SumPoolNet(), b, x, y, lambda out, t: F.mse_loss(out, t)
    if name == "vae":
        b = 128
        x = torch.rand(b, 784, generator=g) * 2 - 1
        return Vae(), b, x, x, vae_loss
    if name == "bn-mlp":
        b = 64
        x = torch.randn(b, 784, generator=g)
        y = torch.randint(0, 10, (b,), generator=g)
        return BnMlp(), b, x, y, lambda out, t: F.cross_entropy(out, t)
    raise SystemExit(f"unknown workload '{name}', expected convnet, sumpool-mlp, vae or bn-mlp")


def blas_threads():
    """OPENBLAS_NUM_THREADS as OpenBLAS read it at load time (None when unset: OpenBLAS then uses every core)."""
    v = os.environ.get("OPENBLAS_NUM_THREADS")
    return int(v) if v and v.isdigit() else None


def sgemm(n, repeats):
    """Best-of-`repeats` GFLOP/s of an n x n x n float32 matmul (torch.mm calls the system BLAS sgemm)."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    torch.mm(a, b)
    best = 0.0
    for _ in range(max(3, repeats)):
        t0 = time.perf_counter()
        torch.mm(a, b)
        best = max(best, 2 * n ** 3 / (time.perf_counter() - t0) / 1e9)
    return {"sgemmN": n, "gflops": best, "threads": torch.get_num_threads(), "blasThreads": blas_threads(), "torch": torch.__version__}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--workload")
    ap.add_argument("--sgemm", type=int, default=0, help="measure an N^3 float32 matmul instead (GFLOP/s)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup-sec", type=float, default=1.5)
    ap.add_argument("--lr", type=float, default=None, help="override the workload's SGD learning rate")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    if args.sgemm:
        print(json.dumps(sgemm(args.sgemm, args.repeats)))
        return
    if not args.workload:
        raise SystemExit("--workload or --sgemm is required")
    model, batch, x, y, loss_fn = workload(args.workload)
    opt = torch.optim.SGD(model.parameters(), lr=args.lr if args.lr is not None else LR[args.workload])

    def train_step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss

    def warm(step):
        t0 = time.perf_counter()
        n = 0
        while n < args.warmup or time.perf_counter() - t0 < args.warmup_sec:
            step()
            n += 1

    model.train()
    warm(train_step)
    train_rates = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        for _ in range(args.steps):
            loss = train_step()
        loss.item()  # same sync point as the logitlab side (one read per timed block)
        train_rates.append(args.steps * batch / (time.perf_counter() - t0))

    model.eval()
    infer_rates = []
    with torch.no_grad():
        warm(lambda: model(x))
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            for _ in range(args.steps):
                out = model(x)
            (out[0] if isinstance(out, tuple) else out).sum().item()
            infer_rates.append(args.steps * batch / (time.perf_counter() - t0))

    print(json.dumps({
        "name": args.workload,
        "trainSamplesPerSec": statistics.median(train_rates),
        "inferSamplesPerSec": statistics.median(infer_rates),
        "peakRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "blasThreads": blas_threads(),
        # Debian's python3-torch says BLAS_INFO=generic: its Linear layers use a reference GEMM
        "blas": (re.search(r"BLAS_INFO=(\w+)", torch.__config__.show()) or [None, "unknown"])[1],
    }))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
