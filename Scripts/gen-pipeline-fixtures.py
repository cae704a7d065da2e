#!/usr/bin/env python3
"""Writes Tests/Fixtures/pipeline/extra-cases.json and extra-cases.safetensors: diffusers'
StableDiffusionPipeline images (output_type="np", HxWx3 in [0,1]) of the tiny fixtures for cases
beyond the public references: other prompts and seeds, negative prompts, guidance off, other
sizes and step counts, long and unicode prompts. Every computation is float32 on the CPU, as for
the public references. Run once in a venv with torch and diffusers; the Swift tests only read
the files."""
import json
from pathlib import Path

import torch
from diffusers import DDIMScheduler, DPMSolverMultistepScheduler, EulerDiscreteScheduler, PNDMScheduler, StableDiffusionPipeline
from safetensors.torch import save_file

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "Fixtures"
CLASSES = {"pndm": PNDMScheduler, "ddim": DDIMScheduler, "euler": EulerDiscreteScheduler, "dpmpp": DPMSolverMultistepScheduler}
LONG = ", ".join(["a very detailed painting of a lighthouse"] * 12)
CASES = [
    # model, scheduler, prompt, negative prompt, seed, steps, guidance, width, height
    ("tiny-sd1", "pndm", "a red bicycle leaning on a wall", "blurry, low quality", 77, 6, 7.5, 32, 32),
    ("tiny-sd1", "ddim", "Portrait of an old sailor, dramatic light!", "", 123456, 5, 3.0, 48, 32),
    ("tiny-sd1", "euler", LONG, "", 9, 3, 1.0, 32, 48),
    ("tiny-sd1", "dpmpp", "東京の夜景, neon ✨", "daylight", 4242, 7, 9.0, 32, 32),
    ("tiny-sd2", "pndm", "a red bicycle leaning on a wall", "blurry, low quality", 77, 5, 7.5, 32, 32),
    ("tiny-sd2", "ddim", "wow!! what a view!", "", 31337, 6, 5.0, 32, 48),
    ("tiny-sd2", "euler", LONG, "cartoon", 2**33 + 17, 5, 7.5, 48, 32),
    ("tiny-sd2", "dpmpp", "café au lait, macro shot", "", 8, 9, 1.0, 32, 32),
]


def main():
    records, tensors = [], {}
    pipelines = {}
    for index, (model, scheduler, prompt, negative, seed, steps, guidance, width, height) in enumerate(CASES):
        if model not in pipelines:
            pipe = StableDiffusionPipeline.from_pretrained(str(FIXTURES / model), torch_dtype=torch.float32, safety_checker=None)
            pipe.set_progress_bar_config(disable=True)
            pipelines[model] = (pipe, dict(pipe.scheduler.config))
        pipe, checkpoint_config = pipelines[model]
        pipe.scheduler = CLASSES[scheduler].from_config(checkpoint_config)
        generator = torch.Generator("cpu").manual_seed(seed)
        image = pipe(prompt, negative_prompt=negative, num_inference_steps=steps, guidance_scale=guidance,
                     width=width, height=height, generator=generator, output_type="np").images[0]
        key = f"case.{index}"
        tensors[key] = torch.from_numpy(image.copy()).to(torch.float32).contiguous()
        records.append({"key": key, "model": model, "scheduler": scheduler, "prompt": prompt, "negative_prompt": negative,
                        "seed": seed, "steps": steps, "guidance_scale": guidance, "width": width, "height": height})
    target = FIXTURES / "pipeline"
    target.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(target / "extra-cases.safetensors"), metadata={"generator": "Scripts/gen-pipeline-fixtures.py"})
    (target / "extra-cases.json").write_text(json.dumps(records, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {len(records)} cases")


if __name__ == "__main__":
    main()
