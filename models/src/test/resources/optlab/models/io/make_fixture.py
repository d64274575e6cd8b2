#!/usr/bin/env python3
"""Golden safetensors fixture for optlab.models.io, written by hand from PyTorch tensors.

The `safetensors` package is not available here, so this script writes the format itself
(8-byte little-endian header length, JSON header padded with spaces to 8 bytes, tensors packed
in sorted key order) -- the same layout `safetensors.torch.save_file` produces.

  python3 make_fixture.py                 # writes fixture.safetensors, fixture_expected.txt (its tensors)
                                          # and fixture_forward.txt (an eval-mode forward pass) here
  python3 make_fixture.py --check FILE    # reads FILE (e.g. one SafeTensorsTest wrote:
                                          # models/target/safetensors/java_written.safetensors or
                                          # models/target/safetensors/model_written.safetensors)
                                          # with torch and compares it with fixture_expected.txt

Tested with PyTorch 1.13 (Debian python3-torch).
"""
import json
import os
import struct
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}
TORCH = {v: k for k, v in DTYPES.items()}


def make_model():
    return torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Tanh(), torch.nn.Linear(3, 2),
                               torch.nn.BatchNorm1d(2))


def state():
    """A small MLP with batch norm (its num_batches_tracked is int64), one training step of statistics.

    Returns the state_dict (plus one float64 tensor) and an evaluation-mode forward pass (input, output)."""
    torch.manual_seed(0)
    model = make_model()
    model.train()
    model(torch.randn(5, 4))
    tensors = dict(model.state_dict())
    tensors["aux.f64"] = torch.randn(2, 3, dtype=torch.float64)
    model.eval()
    x = torch.randn(3, 4)
    with torch.no_grad():
        y = model(x)
    return {k: v.detach().contiguous() for k, v in tensors.items()}, {"input": x, "output": y}


def write(path, tensors, metadata):
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name in sorted(tensors):
        t = tensors[name]
        data = t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def read(path):
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    data = blob[8 + n:]
    out = {}
    for name, e in header.items():
        b, end = e["data_offsets"]
        t = torch.frombuffer(bytearray(data[b:end]), dtype=TORCH[e["dtype"]]) if end > b \
            else torch.empty(0, dtype=TORCH[e["dtype"]])
        out[name] = t.reshape(e["shape"])
    return out, meta


def expected_lines(tensors):
    """One line per tensor: name dtype shape values (repr of each value, exact for float32 and float64)."""
    lines = []
    for name in sorted(tensors):
        t = tensors[name]
        vals = " ".join(repr(float(v)) for v in t.reshape(-1).tolist())
        lines.append(f"{name} {DTYPES[t.dtype]} {','.join(map(str, t.shape)) or '-'} {vals}")
    return lines


def main():
    expected_path = os.path.join(HERE, "fixture_expected.txt")
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        tensors, meta = read(sys.argv[2])
        expected = {l.split(" ", 1)[0]: l for l in open(expected_path).read().splitlines()}
        ok = True
        for line in expected_lines(tensors):
            name = line.split(" ", 1)[0]
            want = expected.get(name, "")
            if " I64 " in want:  # optlab has no integer tensors: a counter comes back as F32 or F64
                want = want.replace(" I64 ", " " + line.split(" ")[1] + " ")
            good = want == line
            ok &= good
            print(("ok   " if good else "DIFF ") + name)
        missing = set(expected) - set(tensors)
        if missing:
            print("not in the file:", sorted(missing))
        model = make_model()
        if set(model.state_dict()) <= set(tensors):
            # the file as weights of the PyTorch model: its forward pass must match fixture_forward.txt
            model.load_state_dict({k: tensors[k].to(v.dtype) for k, v in model.state_dict().items()})
            model.eval()
            forward = {l.split(" ")[0]: l.split(" ") for l in open(os.path.join(HERE, "fixture_forward.txt"))}
            x = torch.tensor([float(v) for v in forward["input"][3:]]).reshape(3, 4)
            want = torch.tensor([float(v) for v in forward["output"][3:]]).reshape(3, 2)
            with torch.no_grad():
                good = torch.allclose(model(x), want, rtol=1e-6, atol=1e-7)
            ok &= good
            print(("ok   " if good else "DIFF ") + "forward pass with these weights")
        print("metadata:", meta)
        sys.exit(0 if ok else 1)
    tensors, forward = state()
    with open(os.path.join(HERE, "fixture_forward.txt"), "w") as f:
        f.write("\n".join(expected_lines(forward)) + "\n")
    write(os.path.join(HERE, "fixture.safetensors"), tensors, {"format": "pt", "source": "make_fixture.py"})
    back, _ = read(os.path.join(HERE, "fixture.safetensors"))
    assert all(torch.equal(back[k], tensors[k]) for k in tensors)
    with open(expected_path, "w") as f:
        f.write("\n".join(expected_lines(tensors)) + "\n")


if __name__ == "__main__":
    main()
