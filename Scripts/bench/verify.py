#!/usr/bin/env python3
"""Driver for Scripts/bench/verify (see there). Prints medians and ratios; exits 0 even when a goal
is missed, so the numbers are always reported.

The checkpoint's tensor names and shapes come from depot itself: the folder is first written with
empty weight files, and `depot inspect --json` lists every tensor the configs need as a finding
("no such tensor", expected shape). The weights are then written as headers followed by a sparse
hole of the right size, so a 6.9 GB folder costs no disk space and no write time."""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOKENIZER = os.path.join(ROOT, "Tests/Fixtures/clip-vit-base-patch32")

# Published configs of stabilityai/stable-diffusion-xl-base-1.0 (the keys that matter for the layout).
UNET = {"_class_name": "UNet2DConditionModel", "addition_embed_type": "text_time", "addition_time_embed_dim": 256,
        "attention_head_dim": [5, 10, 20], "block_out_channels": [320, 640, 1280], "cross_attention_dim": 2048,
        "down_block_types": ["DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"], "in_channels": 4,
        "layers_per_block": 2, "out_channels": 4, "projection_class_embeddings_input_dim": 2816, "sample_size": 128,
        "transformer_layers_per_block": [1, 2, 10], "up_block_types": ["CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"],
        "use_linear_projection": True, "norm_num_groups": 32}
VAE = {"_class_name": "AutoencoderKL", "block_out_channels": [128, 256, 512, 512], "latent_channels": 4, "layers_per_block": 2,
       "down_block_types": ["DownEncoderBlock2D"] * 4, "up_block_types": ["UpDecoderBlock2D"] * 4, "sample_size": 1024}
TEXT = {"architectures": ["CLIPTextModel"], "hidden_size": 768, "intermediate_size": 3072, "num_attention_heads": 12,
        "num_hidden_layers": 12, "projection_dim": 768, "vocab_size": 49408, "max_position_embeddings": 77}
TEXT_2 = {"architectures": ["CLIPTextModelWithProjection"], "hidden_size": 1280, "intermediate_size": 5120,
          "num_attention_heads": 20, "num_hidden_layers": 32, "projection_dim": 1280, "vocab_size": 49408,
          "max_position_embeddings": 77}
COMPONENTS = {"unet": ("UNet2DConditionModel", UNET, "diffusion_pytorch_model.safetensors"),
              "vae": ("AutoencoderKL", VAE, "diffusion_pytorch_model.safetensors"),
              "text_encoder": ("CLIPTextModel", TEXT, "model.safetensors"),
              "text_encoder_2": ("CLIPTextModelWithProjection", TEXT_2, "model.safetensors")}


def log(text):
    print(f"==> {text}", file=sys.stderr, flush=True)


def write_json(path, value):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        json.dump(value, handle)


def write_sparse_safetensors(path, tensors):
    """tensors: [(name, shape)] as float16; the data section is a hole of the right length."""
    header, offset = {"__metadata__": {"format": "pt"}}, 0
    for name, shape in tensors:
        count = 1
        for dimension in shape:
            count *= dimension
        header[name] = {"dtype": "F16", "shape": shape, "data_offsets": [offset, offset + 2 * count]}
        offset += 2 * count
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as handle:
        handle.write(len(text).to_bytes(8, "little") + text)
        handle.truncate(8 + len(text) + offset)
    return 8 + len(text) + offset


def build_model(depot, folder):
    index = {"_class_name": "StableDiffusionXLPipeline", "scheduler": ["diffusers", "EulerDiscreteScheduler"],
             "tokenizer": ["transformers", "CLIPTokenizer"], "tokenizer_2": ["transformers", "CLIPTokenizer"]}
    write_json(os.path.join(folder, "scheduler/scheduler_config.json"), {"_class_name": "EulerDiscreteScheduler"})
    for tokenizer in ("tokenizer", "tokenizer_2"):
        shutil.copytree(TOKENIZER, os.path.join(folder, tokenizer))
    for name, (cls, config, weights) in COMPONENTS.items():
        index[name] = ["diffusers" if name in ("unet", "vae") else "transformers", cls]
        write_json(os.path.join(folder, name, "config.json"), config)
        write_sparse_safetensors(os.path.join(folder, name, weights), [])
    write_json(os.path.join(folder, "model_index.json"), index)
    listing = subprocess.run([depot, "inspect", folder, "--json"], capture_output=True, text=True)
    needed = {}
    for finding in json.loads(listing.stdout)["findings"]:
        if finding.get("found") == "no such tensor":
            component = finding["file"].split("/")[0]
            shape = json.loads(finding["expected"].removeprefix("shape "))
            needed.setdefault(component, []).append((finding["subject"], shape))
    sizes = {}
    for name, (_, _, weights) in COMPONENTS.items():
        sizes[name] = write_sparse_safetensors(os.path.join(folder, name, weights), needed[name])
        log(f"{name}: {len(needed[name])} tensors, {sizes[name] / 1e9:.2f} GB (sparse)")
    return sizes


def timed(command):
    started = time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed: {result.stderr}")
    return elapsed


PEER = """
import sys
from safetensors import safe_open
for path in sys.argv[1:]:
    with safe_open(path, "np") as f:
        shapes = [f.get_slice(k).get_shape() for k in f.keys()]
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--keep-data", action="store_true")
    args = parser.parse_args()
    depot = os.environ["DEPOT_BENCH_DEPOT"]
    data = args.data_dir or tempfile.mkdtemp(prefix="depot-bench-verify-")
    folder = os.path.join(data, "sdxl-sparse")
    try:
        shutil.rmtree(folder, ignore_errors=True)
        sizes = build_model(depot, folder)
        check = subprocess.run([depot, "verify", "--structure", folder, "--json"], capture_output=True, text=True)
        report = json.loads(check.stdout)
        errors = [f for f in report["findings"] if f["severity"] == "error"]
        if check.returncode != 0 or errors:
            sys.exit(f"the generated model does not pass: {errors[:3]}")
        files = [os.path.join(folder, name, weights) for name, (_, _, weights) in COMPONENTS.items()]
        rounds = {"verify": [], "unet": [], "floor": [], "peer": []}
        for _ in range(args.runs):
            rounds["floor"].append(timed([depot, "--version"]))
            rounds["verify"].append(timed([depot, "verify", "--structure", folder]))
            rounds["unet"].append(timed([depot, "verify", "--structure", files[0]]))
            rounds["peer"].append(timed([sys.executable, "-c", PEER] + files))
        median = {key: statistics.median(values) for key, values in rounds.items()}
        total = sum(sizes.values())
        print(f"structural verification, SDXL float16 diffusers folder ({total / 1e9:.2f} GB, UNet {sizes['unet'] / 1e9:.2f} GB), median of {args.runs}:")
        print(f"  depot verify --structure FOLDER        {median['verify']:.3f} s  (runs: {', '.join(f'{v:.3f}' for v in rounds['verify'])})")
        print(f"  depot verify --structure unet file     {median['unet']:.3f} s")
        print(f"  floor: depot --version                 {median['floor']:.3f} s")
        print(f"  peer: Python safetensors headers only  {median['peer']:.3f} s  (depot folder check / peer = {median['verify'] / median['peer']:.2f}x)")
        print(f"  goal <= 1 s for the 5 GB checkpoint: {'met' if median['verify'] <= 1 else 'MISSED'}")
    finally:
        if not args.keep_data and not args.data_dir:
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
