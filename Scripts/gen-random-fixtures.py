#!/usr/bin/env python3
"""Writes Tests/Fixtures/random/randn-sizes.json: torch.randn of several element counts (below 16,
not a multiple of 16, large) for several seeds of torch.Generator("cpu"). Run once in a venv with
torch; the Swift tests only read the JSON."""
import json
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
CASES = [(0, 1), (1, 2), (7, 5), (42, 15), (3, 16), (5, 17), (11, 31), (2024, 100), (123456789, 1000), (2**32 + 5, 40)]


def main() -> None:
    out = []
    for seed, count in CASES:
        generator = torch.Generator("cpu").manual_seed(seed)
        values = torch.randn((count,), generator=generator, dtype=torch.float32)
        out.append({"seed": seed, "values": [float(v) for v in values]})
    target = ROOT / "Tests" / "Fixtures" / "random" / "randn-sizes.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
