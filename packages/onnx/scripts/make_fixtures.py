"""Writes the @logitlab/onnx fixtures: small PyTorch models exported with torch.onnx.export, and what
PyTorch computes on them, so the importer's tests need no python.

Run with /usr/bin/python3 (Debian's torch 1.13 and onnx 1.12):
    /usr/bin/python3 packages/onnx/scripts/make_fixtures.py            # writes src/fixtures/
    /usr/bin/python3 packages/onnx/scripts/make_fixtures.py --check DIR
The check mode loads DIR/<model>.safetensors (what logitlab's stateDict() exported, see the README)
into the original PyTorch module with strict=True and compares its logits with the committed ones.

Every model is exported the way the README tells users to: training=PRESERVE (initializers keep their
state-dict names), do_constant_folding=False, a dynamic batch axis. BatchNorm statistics and affine
parameters are randomised, so a wrong channel order or a dropped BatchNorm shows in the logits.
"""
import io
import json
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', '..', 'scripts', 'fixtures'))
from common import REPO, enc, nchw_to_nhwc, save_safetensors, write  # noqa: E402

OUT = 'packages/onnx/src/fixtures'


class ConvNet(nn.Module):
    """The seed MnistConvNet with tiny channel counts: conv k5, maxpool, relu (twice), view(-1, 128), two fcs, log_softmax."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 5)
        self.conv2 = nn.Conv2d(4, 8, 5)
        self.conv2_drop = nn.Dropout2d(0.5)
        self.fc1 = nn.Linear(128, 16)
        self.fc2 = nn.Linear(16, 10)

    def forward(self, x):
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(F.max_pool2d(self.conv2_drop(self.conv2(x)), 2))
        x = x.view(-1, 128)
        x = F.dropout(F.relu(self.fc1(x)), training=self.training)
        return F.log_softmax(self.fc2(x), dim=1)


class BnMlp(nn.Module):
    """The seed's BatchNorm -> Dropout -> Linear blocks on flattened 28x28 images, a Tanh between them."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.BatchNorm1d(784), nn.Dropout(0.2), nn.Linear(784, 16), nn.Tanh(),
                                 nn.BatchNorm1d(16), nn.Dropout(0.2), nn.Linear(16, 10))

    def forward(self, x):
        return self.net(x)


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return self.relu(y + (x if self.downsample is None else self.downsample(x)))


class ResNet(nn.Module):
    """torchvision's ResNet layout in miniature: stem, two residual blocks (the second strided, with a downsample), global average pool, fc."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(4)
        self.relu = nn.ReLU()
        self.layer1 = nn.Sequential(Block(4, 4, 1), Block(4, 8, 2))
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, 10)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.avgpool(self.layer1(x))
        return self.fc(x.view(x.size(0), -1))


def double_conv(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(), nn.Conv2d(cout, cout, 3, padding=1), nn.ReLU())


class UNet(nn.Module):
    """The seed U-Net in miniature: two levels, nearest upsampling, Concat of the skip, per-pixel logits."""

    def __init__(self):
        super().__init__()
        self.down1 = double_conv(1, 4)
        self.bottom = double_conv(4, 8)
        self.up1 = double_conv(12, 4)
        self.head = nn.Conv2d(4, 3, 1)

    def forward(self, x):
        d1 = self.down1(x)
        b = self.bottom(F.max_pool2d(d1, 2))
        u = F.interpolate(b, scale_factor=2, mode='nearest')
        return self.head(self.up1(torch.cat([u, d1], dim=1)))


class Ops(nn.Module):
    """The remaining operators of the issue's list, each where the NCHW -> NHWC conversion could go wrong:
    constant normalisation (Sub, Div, Mul with [C, 1, 1] constants), asymmetric Pad, LeakyReLU, ReLU6 (Clip),
    padded AvgPool (count_include_pad), a depthwise conv (groups = channels, two kernels each), Sigmoid, Softmax over
    channels, Transpose, flatten(1), Sub/Mul of branches."""

    def __init__(self):
        super().__init__()
        self.register_buffer('mean', torch.tensor([0.5, 0.25]).view(2, 1, 1), persistent=False)
        self.conv1 = nn.Conv2d(2, 4, 3)
        self.act1 = nn.LeakyReLU(0.1)
        self.pool = nn.AvgPool2d(3, stride=2, padding=1)
        self.dw = nn.Conv2d(4, 8, 3, padding=1, groups=4)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1)
        self.act2 = nn.ReLU6()
        self.fc = nn.Linear(8 * 6 * 6, 5)

    def forward(self, x):
        x = (x - self.mean) / 0.5 * 2.0
        x = self.act1(self.conv1(F.pad(x, (1, 0, 0, 1))))
        x = self.dw(self.pool(x))
        gate = torch.sigmoid(self.conv2(x))
        x = self.act2(x) * gate - torch.softmax(x, dim=1)
        x = x.transpose(2, 3)
        return self.fc(torch.flatten(x, 1))


class Residual(nn.Module):
    """A bias-free ReLU network with residual adds (no BatchNorm): LRP-0 on it equals gradient x input exactly."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1, bias=False)
        self.conv2 = nn.Conv2d(4, 4, 3, padding=1, bias=False)
        self.conv3 = nn.Conv2d(4, 4, 3, padding=1, bias=False)
        self.fc = nn.Linear(4 * 4 * 4, 10, bias=False)

    def forward(self, x):
        h = F.relu(self.conv1(x))
        h = F.relu(h + self.conv2(h))
        h = F.max_pool2d(h, 2)
        h = F.relu(h + self.conv3(h))
        return self.fc(F.avg_pool2d(h, 2).flatten(1))


def randomise(model, seed):
    """Non-trivial BatchNorm statistics and affine parameters (fresh ones are 0 / 1 and would hide mistakes)."""
    g = torch.Generator().manual_seed(seed)
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            c = m.num_features
            m.running_mean.copy_(torch.randn(c, generator=g) * 0.3)
            m.running_var.copy_(torch.rand(c, generator=g) + 0.5)
            m.weight.data.copy_(torch.rand(c, generator=g) + 0.5)
            m.bias.data.copy_(torch.randn(c, generator=g) * 0.2)
            m.num_batches_tracked.fill_(7)


# name: (module, input shape NCHW, opset, the chosen output element for the input gradient)
MODELS = {
    'convnet': (ConvNet, [2, 1, 28, 28], 13, (3,)),
    'bn_mlp': (BnMlp, [3, 1, 28, 28], 13, (7,)),
    'resnet': (ResNet, [2, 3, 32, 32], 13, (4,)),
    'unet': (UNet, [1, 1, 16, 16], 13, (2, 5, 9)),
    'ops': (Ops, [2, 2, 12, 12], 17, (1,)),
    'residual': (Residual, [2, 1, 16, 16], 11, (2,)),
}

# ---- an independent float64 LRP of the ResNet: canonised BatchNorm, zennit's EpsilonPlus composite ----
TINY = 1e-9


def stab(z, eps):
    """z + eps * sign(z) with sign(0) = +1, as logitlab's propagate."""
    return torch.where(z >= 0, z + eps, z - eps)


def merge_bn(conv, bn):
    """BatchNorm (eval) after a bias-free conv as one conv: w * a, b = beta - mean * a, a = gamma / sqrt(var + eps)."""
    a = bn.weight.double() / torch.sqrt(bn.running_var.double() + bn.eps)
    return conv.weight.double() * a.view(-1, 1, 1, 1), bn.bias.double() - bn.running_mean.double() * a


class Conv:
    def __init__(self, conv, bn):
        self.w, self.b = merge_bn(conv, bn)
        self.stride, self.pad = conv.stride, conv.padding

    def forward(self, x):
        return F.conv2d(x, self.w, self.b, self.stride, self.pad)

    def zplus(self, x, r):
        """z+ : positive contributions x+ w+ and x- w-, no bias."""
        xp, xn = x.clamp(min=0).requires_grad_(True), x.clamp(max=0).requires_grad_(True)
        zp = F.conv2d(xp, self.w.clamp(min=0), None, self.stride, self.pad)
        zn = F.conv2d(xn, self.w.clamp(max=0), None, self.stride, self.pad)
        s = (r / stab(zp + zn, TINY)).detach()
        gp, gn = torch.autograd.grad((zp * s).sum() + (zn * s).sum(), [xp, xn])
        return (xp * gp + xn * gn).detach()


def proportional(parts, r):
    """A sum of summands: relevance in proportion to each (zennit's Sum rule, LRP-0 without bias)."""
    s = r / stab(sum(parts), TINY)
    return [p * s for p in parts]


def lrp_resnet(model, x, target):
    """Relevance of logits[i, target[i]] for each sample, NCHW float64."""
    x = x.double()
    stem = Conv(model.conv1, model.bn1)
    a0 = stem.forward(x)
    h = F.relu(a0)
    blocks = []
    for blk in model.layer1:
        c1, c2 = Conv(blk.conv1, blk.bn1), Conv(blk.conv2, blk.bn2)
        down = Conv(blk.downsample[0], blk.downsample[1]) if blk.downsample is not None else None
        y1 = F.relu(c1.forward(h))
        y2 = c2.forward(y1)
        short = down.forward(h) if down else h
        blocks.append((h, c1, y1, c2, y2, down, short))
        h = F.relu(y2 + short)
    pooled = h.mean(dim=(2, 3))
    w, b = model.fc.weight.double(), model.fc.bias.double()
    logits = pooled @ w.t() + b
    r = torch.zeros_like(logits)
    r[torch.arange(len(target)), target] = logits[torch.arange(len(target)), target]
    r = pooled * ((r / stab(logits, 1e-6)) @ w)  # dense: epsilon(1e-6)
    z = pooled
    r = h * (r / stab(z, TINY) / (h.shape[2] * h.shape[3]))[:, :, None, None]  # global average pool: proportional
    for (h_in, c1, y1, c2, y2, down, short) in reversed(blocks):
        r_main, r_short = proportional([y2, short], r)  # the ReLU after the add passes relevance
        r_y1 = c2.zplus(y1, r_main)
        r_h = c1.zplus(h_in, r_y1)
        r_h = r_h + (down.zplus(h_in, r_short) if down else r_short)
        r = r_h
    return stem.zplus(x, r), logits


def build(name, seed):
    cls, shape, opset, chosen = MODELS[name]
    torch.manual_seed(seed)
    model = cls()
    with torch.no_grad():
        randomise(model, seed)
    return model.eval(), shape, opset, chosen


def chosen_output(out, chosen):
    """Sum over the batch of one output element (a class; for per-pixel outputs a class at one pixel)."""
    return out[(slice(None),) + chosen].sum()


def export(model, shape, opset):
    f = io.BytesIO()
    torch.onnx.export(model, torch.zeros(shape), f, training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False,
                      opset_version=opset, input_names=['input'], output_names=['output'],
                      dynamic_axes={'input': {0: 'batch'}, 'output': {0: 'batch'}})
    return f.getvalue()


def make():
    fixtures = {}
    for i, name in enumerate(MODELS):
        model, shape, opset, chosen = build(name, 100 + i)
        onnx_bytes = export(model, shape, opset)
        with open(os.path.join(REPO, OUT, f'{name}.onnx'), 'wb') as f:
            f.write(onnx_bytes)
        save_safetensors(model.state_dict(), os.path.join(REPO, OUT, f'{name}.safetensors'),
                         {'format': 'pt', 'source': 'packages/onnx/scripts/make_fixtures.py'})
        g = torch.Generator().manual_seed(7 + i)
        x = torch.rand(shape, generator=g).requires_grad_(True)
        out = model(x)
        chosen_output(out, chosen).backward()
        if name == 'resnet':
            target = torch.tensor([4, 1])
            relevance, logits64 = lrp_resnet(model, x.detach(), target)
            assert (logits64.float() - out.detach()).abs().max() < 1e-4, 'the float64 reference must compute the same logits'
            extra = {'lrp': {'composite': 'epsilonPlus', 'target': target.tolist(), 'relevance': enc(nchw_to_nhwc(relevance))}}
        else:
            extra = {}
        fixtures[name] = {
            **extra,
            'opset': opset,
            'input': enc(nchw_to_nhwc(x.detach())),
            'output': enc(nchw_to_nhwc(out.detach())),
            'chosen': list(chosen),
            'inputGradient': enc(nchw_to_nhwc(x.grad)),
            'stateDictKeys': list(model.state_dict().keys()),
        }
        print(f'{name}: {len(onnx_bytes)} bytes of onnx, {len(fixtures[name]["stateDictKeys"])} state-dict keys')
    write(f'{OUT}/fixtures.json', fixtures)


def load_safetensors(path):
    """The reader to common.save_safetensors's writer (no safetensors package on Debian)."""
    import struct
    import numpy as np
    raw = open(path, 'rb').read()
    (n,) = struct.unpack('<Q', raw[:8])
    header = json.loads(raw[8:8 + n])
    kinds = {'F32': np.float32, 'I32': np.int32, 'I64': np.int64}
    out = {}
    for key, spec in header.items():
        if key == '__metadata__':
            continue
        a, b = spec['data_offsets']
        out[key] = torch.from_numpy(np.frombuffer(raw[8 + n + a:8 + n + b], dtype=kinds[spec['dtype']]).reshape(spec['shape']).copy())
    return out


def check(directory):
    """Loads logitlab's exported state dicts into the PyTorch modules (strict) and compares the outputs."""
    fixtures = json.load(open(os.path.join(REPO, OUT, 'fixtures.json')))
    for i, name in enumerate(MODELS):
        path = os.path.join(directory, f'{name}.safetensors')
        if not os.path.exists(path):
            print(f'{name}: no {path}, skipped')
            continue
        model, shape, _, _ = build(name, 999)  # other weights: the load must replace every one
        model.load_state_dict(load_safetensors(path), strict=True)
        x = torch.tensor(fixtures[name]['input']['data']).view(fixtures[name]['input']['shape'])
        x = x.permute(0, 3, 1, 2).clone(memory_format=torch.contiguous_format) if x.dim() == 4 else x  # standard NCHW strides (C = 1 would pass as channels_last)
        with torch.no_grad():
            out = model(x)
        out = out.permute(0, 2, 3, 1) if out.dim() == 4 else out
        want = torch.tensor(fixtures[name]['output']['data']).view(fixtures[name]['output']['shape'])
        print(f'{name}: strict load ok, max |logits - committed| = {(out - want).abs().max().item():.3g}')


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == '--check':
        check(sys.argv[2])
    else:
        os.makedirs(os.path.join(REPO, OUT), exist_ok=True)
        make()
