#!/usr/bin/env python3
"""Writes fnmatch-table.json (used by Tests/DepotRegistryTests/GlobMatchingTests): the answers of Python's fnmatch.fnmatch for every (pattern, path)
pair below, and of huggingface_hub's filter_repo_objects for include/exclude cases.
Run with the test venv: .venv/bin/python Tests/Fixtures/fnmatch/gen-fnmatch-table.py"""
import fnmatch
import json
import os

from huggingface_hub.utils import filter_repo_objects

PATTERNS = [
    "*", "*.json", "*.safetensors", "unet/*", "*/config.json", "unet/*.bin", "*.fp16.*",
    "?", "??.txt", "a?c", "[abc]*", "[!abc]*", "[a-c]x", "[!a-c]x", "[z-a]x", "[!z-a]x",
    "[]]", "[!]]", "[]a]*", "[-a]", "[a-]", "[a-b-c]", "[", "[abc", "a[", "*[", "[!",
    "\\*", "a\\b", "*.[jJ][sS][oO][nN]", "original/compiled/*", "split_einsum/*",
    "*_split_einsum_compiled.zip", "**/*.json", "*/*/*", "a*b*c", "*a*", "", ".*", "*.",
    "[.]*", "[?]", "[*]", "x[a-]y", "[!-]", "é*", "*ü",
]
PATHS = [
    "", "a", "b", "x", "ab", "abc", "axc", "a/c", "ax", "bx", "dx", "-", "]", "[", "!", "?", "*",
    "aXbYc", "acb", "model_index.json", "unet/config.json", "unet/diffusion_pytorch_model.safetensors",
    "unet/diffusion_pytorch_model.fp16.safetensors", "unet/x.bin", "text_encoder/model.safetensors",
    "a/b/c.json", "original/compiled/Unet.mlmodelc/weights/weight.bin", "split_einsum/compiled/vocab.json",
    "split_einsum_v2/compiled/vocab.json", "coreml-sd_split_einsum_compiled.zip", "12.txt", "1/2.txt",
    "CONFIG.JSON", "a.JsOn", ".gitattributes", "dir/", "a\\b", "a\\\\b", "x-y", "xay", "é", "éa", "aü",
    "a[", "[abc", "ab[",
]
FILTERS = [
    (None, None), (["unet/"], None), (["unet"], None), (["*.json"], ["tokenizer/*"]),
    (None, ["*.bin", "*.ckpt"]), (["text_encoder/", "unet/"], ["*.fp16.*"]),
    (["split_einsum/"], None), (["original/compiled/"], ["*.zip"]), (["*/config.json", "model_index.json"], None),
    (["unet\\*"], None), (None, []),
]

here = os.path.dirname(os.path.abspath(__file__))
table = {
    "fnmatch": [
        {"pattern": p, "path": s, "match": fnmatch.fnmatch(s, p)} for p in PATTERNS for s in PATHS
    ],
    "filters": [
        {"include": inc, "exclude": exc, "kept": list(filter_repo_objects(PATHS, allow_patterns=inc, ignore_patterns=exc))}
        for inc, exc in FILTERS
    ],
}
with open(os.path.join(here, "fnmatch-table.json"), "w") as out:
    json.dump(table, out, indent=1, ensure_ascii=False)
    out.write("\n")
