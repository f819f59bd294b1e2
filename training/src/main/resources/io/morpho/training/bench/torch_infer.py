"""The PyTorch side of morpho's inference benchmark: the same architecture (from the layer list morpho exports as
JSON) in PyTorch eager mode, CPU, the given threads; stamps/s per batch size, this machine's matmul peak and the
peak resident memory. Prints JSON lines. Weights are random: they do not change the arithmetic done."""
import json
import resource
import sys
import time

import torch
from torch import nn

spec_file, threads, batches, seconds = sys.argv[1], int(sys.argv[2]), [int(b) for b in sys.argv[3].split(",")], float(sys.argv[4])
torch.set_num_threads(threads)
torch.set_num_interop_threads(1)


def build(layers, channels, size):
    modules = []
    for layer in layers:
        kind = layer["type"]
        if kind == "conv":
            modules.append(nn.Conv2d(channels, layer["filters"], layer["kernel"], layer["stride"], layer["padding"]))
            channels = layer["filters"]
            size = (size + 2 * layer["padding"] - layer["kernel"]) // layer["stride"] + 1
        elif kind == "relu":
            modules.append(nn.ReLU())
        elif kind == "batchnorm":
            modules.append(nn.BatchNorm2d(channels, eps=layer["epsilon"]))
        elif kind == "maxpool":
            modules.append(nn.MaxPool2d(layer["kernel"], layer["stride"], layer["padding"]))
            size = (size + 2 * layer["padding"] - layer["kernel"]) // layer["stride"] + 1
        elif kind == "avgpool":
            modules.append(nn.AvgPool2d(layer["kernel"], layer["stride"]))
            size = (size - layer["kernel"]) // layer["stride"] + 1
        elif kind == "inception":
            towers = []
            outs = []
            for tower in layer["towers"]:
                module, c, s = build(tower, channels, size)
                towers.append(module)
                outs.append((c, s))
            modules.append(Inception(towers, layer["concat"]))
            channels = sum(outs[i][0] for i in layer["concat"])
            size = outs[layer["concat"][0]][1]
        elif kind == "flatten":
            modules.append(nn.Flatten())
            channels = channels * size * size
            size = 1
        elif kind == "dense":
            modules.append(nn.Linear(channels, layer["units"]))
            channels = layer["units"]
        elif kind == "dropout":
            modules.append(nn.Dropout(layer["rate"]))
        elif kind == "softmax":
            modules.append(nn.Softmax(dim=1))
        else:
            raise ValueError("unknown layer " + kind)
    return nn.Sequential(*modules), channels, size


class Inception(nn.Module):
    def __init__(self, towers, concat):
        super().__init__()
        self.towers = nn.ModuleList(towers)
        self.concat = concat

    def forward(self, x):
        outs = [t(x) for t in self.towers]
        return torch.cat([outs[i] for i in self.concat], dim=1)


def throughput(model, size, batch):
    x = torch.rand(batch, 1, size, size)
    with torch.no_grad():
        for _ in range(2):
            model(x)
        runs = 0
        start = time.perf_counter()
        while True:
            model(x)
            runs += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds and runs >= 3:
                return runs * batch / elapsed


spec = json.load(open(spec_file))
model, _, _ = build(spec["layers"], 1, spec["inputSize"])
model.eval()
for batch in batches:
    print(json.dumps({"batch": batch, "stampsPerSecond": throughput(model, spec["inputSize"], batch)}), flush=True)

a = torch.rand(2048, 2048)
b = torch.rand(2048, 2048)
best = 0.0
for _ in range(5):
    t0 = time.perf_counter()
    torch.mm(a, b)
    best = max(best, 2 * 2048 ** 3 / (time.perf_counter() - t0) / 1e9)
print(json.dumps({"peakGflops": best, "maxRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "torch": torch.__version__}), flush=True)
