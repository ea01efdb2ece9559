#!/usr/bin/env python3
"""Reference values for the explanation metric families (packages/metrics/src/families), written from
the published definitions as Quantus implements them, in numpy, for small fixed inputs.

Randomness: the metrics draw from logitlab's seeded generator (mulberry32, core/src/rng.ts), so this
script carries a port of it; the noise and subsets are then the same numbers on both sides and the
comparison checks the definitions, not the generators.

    /usr/bin/python3 packages/metrics/scripts/quantus_reference.py   # writes src/fixtures/quantus-reference.json
"""
import json
import math
import os

import numpy as np

M = 0xFFFFFFFF


class Rng:
    """mulberry32 exactly as core/src/rng.ts."""

    def __init__(self, seed):
        self.s = int(seed) & M

    def u32(self):
        self.s = (self.s + 0x6D2B79F5) & M
        t = self.s
        t = ((t ^ (t >> 15)) * (t | 1)) & M
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & M)) & M
        return (t ^ (t >> 14)) & M

    def next(self):
        return self.u32() / 4294967296

    def int(self, n):
        return math.floor(self.next() * n)

    def uniform_array(self, n, lo, hi):
        return np.array([lo + (hi - lo) * self.next() for _ in range(n)], dtype=np.float32)

    def normal_array(self, n, std):
        out = np.zeros(n, dtype=np.float32)
        for i in range(0, n, 2):
            r = math.sqrt(-2 * math.log(1 - self.next()))
            angle = 2 * math.pi * self.next()
            out[i] = std * (r * math.cos(angle))
            if i + 1 < n:
                out[i + 1] = std * (r * math.sin(angle))
        return out

    def permutation(self, n):
        a = list(range(n))
        for i in range(n - 1, 0, -1):
            j = self.int(i + 1)
            a[i], a[j] = a[j], a[i]
        return a


# ---- fixed inputs: 3 images of 6 x 6 x 1, 4 classes -------------------------------------------
N, H, W, C, K = 3, 6, 6, 1, 4
D = H * W * C
g = np.arange(N * D, dtype=np.float64)
X = ((np.sin(g * 0.7) + 1) / 2).astype(np.float32).reshape(N, D)
WEIGHTS = (np.cos(np.arange(K * D) * 1.3) * 0.5).astype(np.float32).reshape(K, D)
TARGETS = np.array([0, 2, 3])
# the maps under test: gradient x input of the score below, plus a fixed disturbance so they are not exact
A = (X * WEIGHTS[TARGETS] + 0.05 * np.sin(g * 1.9).reshape(N, D)).astype(np.float32)
MASKS = np.zeros((N, H, W), dtype=np.float32)
MASKS[0, 1:3, 1:4] = 1
MASKS[1, 3:6, 0:2] = 1
MASKS[2, 0:2, 4:6] = 1
MASKS = MASKS.reshape(N, D)
MASKS[0, np.argmax(A[0])] = 1  # one hit, so the pointing game sees both outcomes


def score(batch, targets=TARGETS):
    """f_t(x) = tanh(w_t . x) + 0.1 w_t . x, in float64 (the TS test computes the same)."""
    z = np.sum(batch.astype(np.float64) * WEIGHTS[targets].astype(np.float64), axis=1)
    return np.tanh(z) + 0.1 * z


def explainer(batch, targets):
    """A nonlinear map, so noise moves it: w_t * x * x."""
    b = batch.astype(np.float32)
    return (WEIGHTS[targets] * b * b).astype(np.float32)


# ---- faithfulness ----------------------------------------------------------------------------------
def region_perturbation(patch, regions, perturbation, seed, lo, hi):
    rows, cols = math.ceil(H / patch), math.ceil(W / patch)
    repl = np.full(N * D, lo, dtype=np.float32) if perturbation == 'min' else Rng(seed).uniform_array(N * D, lo, hi)
    repl = repl.reshape(N, D)
    patches = []
    for p in range(rows * cols):
        py, px = (p // cols) * patch, (p % cols) * patch
        patches.append([(y * W + x) * C + c for y in range(py, min(py + patch, H)) for x in range(px, min(px + patch, W)) for c in range(C)])
    cur = X.copy()
    scores = [score(cur)]
    orders = [np.argsort(-np.array([A[i, q].astype(np.float64).sum() for q in patches]), kind='stable') for i in range(N)]
    for k in range(regions):
        for i in range(N):
            idx = patches[orders[i][k]]
            cur[i, idx] = repl[i, idx]
        scores.append(score(cur))
    s = np.stack(scores, axis=1)  # [N, L + 1]
    aopc = np.mean(s[:, :1] - s, axis=1)
    return aopc, s


def pixel_flipping(steps, per_step, perturbation, seed, lo, hi, order):
    """Samek et al. 2017 with single pixels as regions: the most relevant pixels first (or a seeded random
    order), per_step at a time, each replaced by uniform noise drawn for every value before any ordering
    (or by lo); AOPC = 1/(L+1) sum_k (f(x_0) - f(x_k)) per image, on the scores as float32 (the TS result type)."""
    repl = np.full(N * D, lo, dtype=np.float32) if perturbation == 'min' else Rng(seed).uniform_array(N * D, lo, hi)
    repl = repl.reshape(N, D)
    if order == 'relevance':
        orders = [np.argsort(-A[i], kind='stable') for i in range(N)]
    else:
        rng = Rng((seed ^ 0x9E3779B9) & M)
        orders = [rng.permutation(D) for _ in range(N)]
    cur = X.copy()
    scores = [score(cur)]
    for k in range(1, steps + 1):
        for i in range(N):
            idx = np.asarray(orders[i][(k - 1) * per_step:k * per_step])
            cur[i, idx] = repl[i, idx]
        scores.append(score(cur))
    s = np.stack(scores, axis=1).astype(np.float32).astype(np.float64)  # [N, L + 1]
    aopc = np.mean(s[:, :1] - s, axis=1)
    return aopc, s


def faithfulness_correlation(runs, subset, baseline, seed):
    rng = Rng(seed)
    f0 = score(X)
    sums = np.zeros((N, runs))
    drops = np.zeros((N, runs))
    for r in range(runs):
        cur = X.copy()
        for i in range(N):
            perm = rng.permutation(D)[:subset]
            sums[i, r] = A[i, perm].astype(np.float64).sum()
            cur[i, perm] = baseline
        drops[:, r] = f0 - score(cur)
    return np.array([np.corrcoef(sums[i], drops[i])[0, 1] for i in range(N)])


def monotonicity(step, baseline):
    order = [np.argsort(A[i], kind='stable') for i in range(N)]
    cur = np.full_like(X, baseline)
    preds = []
    for k in range(D // step):
        for i in range(N):
            idx = order[i][k * step:(k + 1) * step]
            cur[i, idx] = X[i, idx]
        preds.append(score(cur))
    p = np.stack(preds, axis=1)
    diffs = np.diff(p, axis=1)
    return np.all(diffs >= 0, axis=1).astype(float), np.mean(diffs >= 0, axis=1)


# ---- robustness ------------------------------------------------------------------------------------
def robustness(kind, samples, size, seed):
    rng = Rng(seed)
    worst = np.full(N, -np.inf)
    for _ in range(samples):
        e = rng.uniform_array(N * D, -size, size) if kind == 'max' else rng.normal_array(N * D, size)
        xp = (X.reshape(-1) + e).astype(np.float32).reshape(N, D)
        e = (xp - X).astype(np.float64)
        ap = explainer(xp, TARGETS).astype(np.float64)
        a = A.astype(np.float64)
        for i in range(N):
            num = np.linalg.norm(a[i] - ap[i])
            den = (np.linalg.norm(a[i]) or 1.0) if kind == 'max' else np.linalg.norm(e[i])
            worst[i] = max(worst[i], num / den)
    return worst


# ---- localisation, complexity ------------------------------------------------------------------------
def pointing_game():
    return np.array([float(MASKS[i, np.argmax(A[i])] > 0) for i in range(N)])


def attribution_localisation(weighted):
    out = []
    for i in range(N):
        a = np.clip(A[i].astype(np.float64), 0, None)
        s = MASKS[i] > 0
        ratio = a[s].sum() / a.sum()
        out.append(ratio * (D / s.sum()) if weighted else ratio)
    return np.array(out)


def sparseness():
    out = []
    for i in range(N):
        a = np.sort(np.abs(A[i].astype(np.float64))) + 1e-7
        idx = np.arange(1, D + 1)
        out.append(np.sum((2 * idx - D - 1) * a) / (D * np.sum(a)))
    return np.array(out)


def entropy():
    out = []
    for i in range(N):
        p = np.abs(A[i].astype(np.float64))
        p = p / p.sum()
        p = p[p > 0]
        out.append(-np.sum(p * np.log(p)))
    return np.array(out)


# ---- randomisation, axiomatic ----------------------------------------------------------------------
def random_logit(seed):
    rng = Rng(seed)
    off = []
    for t in TARGETS:
        o = rng.int(K - 1)  # uniform over the K - 1 other classes
        off.append(o + 1 if o >= t else o)
    off = np.array(off)
    b = explainer(X, off).astype(np.float64)
    return np.array([np.corrcoef(A[i].astype(np.float64), b[i])[0, 1] for i in range(N)]), off


def completeness():
    diff = score(X) - score(np.zeros_like(X))
    total = A.astype(np.float64).sum(axis=1)
    return np.abs(total - diff) / np.abs(diff)


def input_invariance(shift):
    # the shifted model's gradient x input sees x + shift: w * (x + shift) vs the maps' w * x
    a = (WEIGHTS[TARGETS] * X).astype(np.float64)
    b = (WEIGHTS[TARGETS] * (X + shift).astype(np.float32)).astype(np.float64)
    return np.max(np.abs(a - b), axis=1) / np.max(np.abs(a), axis=1)


def main():
    rp_u, rp_u_scores = region_perturbation(2, 5, 'uniform', 7, 0.0, 1.0)
    rp_m, _ = region_perturbation(4, 4, 'min', 0, 0.0, 1.0)
    mono, mono_share = monotonicity(4, 0.0)
    pf_u, pf_u_scores = pixel_flipping(6, 3, 'uniform', 11, 0.0, 1.0, 'relevance')
    pf_m, pf_m_scores = pixel_flipping(9, 4, 'min', 0, 0.0, 1.0, 'relevance')
    pf_r, pf_r_scores = pixel_flipping(5, 2, 'uniform', 4, 0.0, 1.0, 'random')
    rl, off = random_logit(9)
    out = {
        'note': 'written by packages/metrics/scripts/quantus_reference.py; do not edit',
        'count': N, 'shape': [H, W, C], 'numClasses': K,
        'images': X.reshape(-1).tolist(), 'weights': WEIGHTS.reshape(-1).tolist(), 'targets': TARGETS.tolist(),
        'relevance': A.reshape(-1).tolist(), 'masks': MASKS.reshape(-1).tolist(),
        'regionPerturbationUniform': {'options': {'patchSize': 2, 'regions': 5, 'perturbation': 'uniform', 'seed': 7, 'range': [0, 1]}, 'perImage': rp_u.tolist(), 'scores': rp_u_scores.reshape(-1).tolist()},
        'regionPerturbationMin': {'options': {'patchSize': 4, 'regions': 4, 'perturbation': 'min', 'range': [0, 1]}, 'perImage': rp_m.tolist()},
        'pixelFlippingUniform': {'options': {'steps': 6, 'pixelsPerStep': 3, 'perturbation': 'uniform', 'seed': 11, 'range': [0, 1]}, 'order': 'relevance', 'aopc': pf_u.tolist(), 'scores': pf_u_scores.reshape(-1).tolist()},
        'pixelFlippingMin': {'options': {'steps': 9, 'pixelsPerStep': 4, 'perturbation': 'min', 'range': [0, 1]}, 'order': 'relevance', 'aopc': pf_m.tolist(), 'scores': pf_m_scores.reshape(-1).tolist()},
        'pixelFlippingRandom': {'options': {'steps': 5, 'pixelsPerStep': 2, 'perturbation': 'uniform', 'seed': 4, 'range': [0, 1]}, 'order': 'random', 'aopc': pf_r.tolist(), 'scores': pf_r_scores.reshape(-1).tolist()},
        'faithfulnessCorrelation': {'options': {'runs': 10, 'subsetSize': 4, 'baseline': 0, 'seed': 3}, 'perImage': faithfulness_correlation(10, 4, 0.0, 3).tolist()},
        'monotonicity': {'options': {'featuresPerStep': 4, 'baseline': 0}, 'perImage': mono.tolist(), 'stepShare': mono_share.tolist()},
        'maxSensitivity': {'options': {'samples': 4, 'radius': 0.2, 'seed': 5}, 'perImage': robustness('max', 4, 0.2, 5).tolist()},
        'localLipschitzEstimate': {'options': {'samples': 4, 'std': 0.1, 'seed': 6}, 'perImage': robustness('lip', 4, 0.1, 6).tolist()},
        'pointingGame': {'perImage': pointing_game().tolist()},
        'attributionLocalisation': {'perImage': attribution_localisation(True).tolist(), 'unweighted': attribution_localisation(False).tolist()},
        'sparseness': {'perImage': sparseness().tolist()},
        'entropy': {'perImage': entropy().tolist()},
        'randomLogit': {'options': {'seed': 9}, 'perImage': rl.tolist(), 'offTargets': off.tolist()},
        'completeness': {'perImage': completeness().tolist()},
        'inputInvariance': {'options': {'shift': -1}, 'relChange': input_invariance(-1.0).tolist()},
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'fixtures', 'quantus-reference.json')
    with open(path, 'w') as fh:
        json.dump(out, fh, indent=1)
        fh.write('\n')
    print('wrote', os.path.normpath(path))


if __name__ == '__main__':
    main()
