"""The five workloads as hand-written PyTorch loops: eager, ``torch.optim.Adam``, no Keras.

This is the practical limit a framework on top of PyTorch can reach: the loop does
only what a careful user writes by hand (no per-step ``.item()``; the epoch loss
is accumulated as a tensor). Images are NCHW, PyTorch's own layout.

Example:
    >>> from workloads import make_data
    >>> (x, y), settings = make_data("tiny", "smoke")
    >>> runner = Runner("tiny", x, y, settings)
    >>> times, losses = runner.train(2)
"""


import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

import workloads


def first_op():
    """The import plus one small op (what ``import_s`` measures)."""
    return (torch.ones(2) + 1.0).numpy()


class _Attention(nn.Module):
    def __init__(self, features, heads, key_dim):
        super().__init__()
        self.heads, self.key_dim = heads, key_dim
        self.query = nn.Linear(features, heads * key_dim)
        self.key = nn.Linear(features, heads * key_dim)
        self.value = nn.Linear(features, heads * key_dim)
        self.out = nn.Linear(heads * key_dim, features)

    def forward(self, x):
        b, t, _ = x.shape

        def split(z):
            return z.view(b, t, self.heads, self.key_dim).transpose(1, 2)

        att = F.scaled_dot_product_attention(split(self.query(x)), split(self.key(x)), split(self.value(x)))
        return self.out(att.transpose(1, 2).reshape(b, t, self.heads * self.key_dim))


class _Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        f = workloads.FEATURES
        self.attention = _Attention(f, 4, 32)
        self.norm1, self.norm2 = nn.LayerNorm(f, eps=1e-3), nn.LayerNorm(f, eps=1e-3)
        self.ff = nn.Sequential(nn.Linear(f, 256), nn.ReLU(), nn.Linear(256, f))
        self.head = nn.Linear(f, 10)

    def forward(self, x):
        x = self.norm1(x + self.attention(x))
        x = self.norm2(x + self.ff(x))
        return self.head(x.mean(dim=1))


class _Recurrent(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(workloads.VOCAB, 64)
        self.lstm = nn.LSTM(64, 64, batch_first=True)
        self.head = nn.Linear(64, 1)

    def forward(self, tokens):
        _, (h, _) = self.lstm(self.embedding(tokens))
        return self.head(h[-1])


def build(name):
    """The workload's model as an ``nn.Module``."""
    if name == "mlp":
        return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                             nn.Linear(256, 10))
    if name == "cnn":
        return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3),
                             nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64 * 5 * 5, 10))
    if name == "lstm":
        return _Recurrent()
    if name == "transformer":
        return _Encoder()
    return nn.Linear(20, 10)


class Runner:
    """Trains and predicts one workload with a plain PyTorch loop."""

    def __init__(self, name, x, y, settings):
        if name == "cnn":
            x = np.ascontiguousarray(x.transpose(0, 3, 1, 2))
        self.x = torch.from_numpy(x).long() if name == "lstm" else torch.from_numpy(x)
        self.y = torch.from_numpy(y) if name == "lstm" else torch.from_numpy(y).long()
        self.loss_fn = F.binary_cross_entropy_with_logits if name == "lstm" else F.cross_entropy
        self.batch_size = settings["batch_size"]
        self.model = build(name)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=workloads.LEARNING_RATE)

    def _step(self, x, y):
        self.optimizer.zero_grad(set_to_none=True)
        loss = self.loss_fn(self.model(x), y)
        loss.backward()
        self.optimizer.step()
        return loss.detach()

    def first_step(self):
        bs = self.batch_size
        return float(self._step(self.x[:bs], self.y[:bs]))

    def train(self, epochs):
        self.model.train()
        n, bs = len(self.x), self.batch_size
        times, losses = [], []
        for _ in range(epochs):
            start = workloads.clock()
            order = torch.randperm(n)
            xs, ys = self.x[order], self.y[order]
            total = torch.zeros(())
            for i in range(0, n, bs):
                total += self._step(xs[i:i + bs], ys[i:i + bs])
            losses.append(float(total) / (n // bs))
            times.append(workloads.since(start))
        return times, losses

    def predict(self):
        self.model.eval()
        bs = self.batch_size
        with torch.inference_mode():
            outs = [self.model(self.x[i:i + bs]) for i in range(0, len(self.x), bs)]
        return torch.cat(outs).numpy()
