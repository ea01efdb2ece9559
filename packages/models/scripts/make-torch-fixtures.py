"""Writes src/fixtures/convnet-torch.safetensors: the classic PyTorch MNIST example net (seeded),
its state dict, a batch of inputs (NCHW) and its eval-mode log-softmax outputs.

Run with the Python that has torch (1.13 here):  /usr/bin/python3 packages/models/scripts/make-torch-fixtures.py
The safetensors writer is inlined (header length u64 LE + JSON header + raw little-endian data) so
the script needs nothing but torch.
"""
import json
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
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
        x = F.relu(self.fc1(x))
        x = F.dropout(x, training=self.training)
        x = self.fc2(x)
        return F.log_softmax(x, dim=1)


def save_safetensors(tensors, path):
    header, chunks, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().to(torch.float32).numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for c in chunks:
            f.write(c)


def main():
    torch.manual_seed(0)
    net = Net().eval()
    # stroke-like inputs: mostly 0 with bright blobs, so every conv unit and fc1 column matters
    x = (torch.rand(3, 1, 28, 28) > 0.7).float() * torch.rand(3, 1, 28, 28)
    with torch.no_grad():
        out = net(x)
    tensors = dict(net.state_dict())
    tensors["__input__"] = x
    tensors["__output__"] = out
    here = os.path.dirname(os.path.abspath(__file__))
    save_safetensors(tensors, os.path.join(here, "..", "src", "fixtures", "convnet-torch.safetensors"))


if __name__ == "__main__":
    main()
