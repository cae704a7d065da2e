#!/usr/bin/env python3
"""Writes Tests/Fixtures/schedulers/scheduler-cases.json: for many scheduler configs (the tiny
checkpoints' configs switched with Cls.from_config, plus variants of the keys each scheduler
reads), diffusers' timesteps, init_noise_sigma, and a whole denoising loop on a small sample
driven by fixed model outputs: the scaled model input and the new sample of every step.
Run once in a venv with torch and diffusers; the Swift tests only read the JSON."""
import json
from pathlib import Path

import torch
from diffusers import DDIMScheduler, DPMSolverMultistepScheduler, EulerDiscreteScheduler, PNDMScheduler

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "Fixtures"
CLASSES = {"pndm": PNDMScheduler, "ddim": DDIMScheduler, "euler": EulerDiscreteScheduler, "dpmpp": DPMSolverMultistepScheduler}
SHAPE = (1, 4, 2, 2)


def checkpoint_config(name):
    return json.loads((FIXTURES / name / "scheduler" / "scheduler_config.json").read_text())


def variants():
    sd1, sd2 = checkpoint_config("tiny-sd1"), checkpoint_config("tiny-sd2")
    yield "sd1", "pndm", sd1, {}
    yield "sd2", "pndm", sd2, {}
    yield "sd2-linspace", "pndm", sd2, {"timestep_spacing": "linspace"}
    yield "sd1-trailing", "pndm", sd1, {"timestep_spacing": "trailing"}
    yield "sd1-linear-alpha1", "pndm", sd1, {"beta_schedule": "linear", "set_alpha_to_one": True}
    yield "sd1", "ddim", sd1, {}
    yield "sd2", "ddim", sd2, {}
    yield "sd1-alpha1-trailing", "ddim", sd1, {"set_alpha_to_one": True, "timestep_spacing": "trailing"}
    yield "sd1-threshold", "ddim", sd1, {"thresholding": True, "sample_max_value": 1.5, "dynamic_thresholding_ratio": 0.9}
    yield "sd1-clip-range", "ddim", sd1, {"clip_sample_range": 0.5, "timestep_spacing": "linspace"}
    yield "sd2-zero-snr", "ddim", sd2, {"rescale_betas_zero_snr": True, "timestep_spacing": "trailing"}
    yield "sd1-cosine", "ddim", sd1, {"beta_schedule": "squaredcos_cap_v2", "steps_offset": 0}
    yield "sd1-trained-betas", "ddim", sd1, {"num_train_timesteps": 100, "trained_betas": [0.001 + 0.0002 * i for i in range(100)]}
    yield "sd1", "euler", sd1, {}
    yield "sd2", "euler", sd2, {}
    yield "sd1-linspace", "euler", sd1, {"timestep_spacing": "linspace"}
    yield "sd1-trailing-sigma-min", "euler", sd1, {"timestep_spacing": "trailing", "final_sigmas_type": "sigma_min"}
    yield "sd1-karras", "euler", sd1, {"use_karras_sigmas": True}
    yield "sd2-exponential", "euler", sd2, {"use_exponential_sigmas": True}
    yield "sd1-log-linear", "euler", sd1, {"interpolation_type": "log_linear"}
    yield "sd1", "dpmpp", sd1, {}
    yield "sd2", "dpmpp", sd2, {}
    yield "sd1-sigma-min", "dpmpp", sd1, {"final_sigmas_type": "sigma_min"}
    yield "sd1-order3-heun", "dpmpp", sd1, {"solver_order": 3, "solver_type": "heun"}
    yield "sd2-no-lower-order-final", "dpmpp", sd2, {"lower_order_final": False, "final_sigmas_type": "sigma_min"}
    yield "sd1-karras", "dpmpp", sd1, {"use_karras_sigmas": True}
    yield "sd1-dpmsolver", "dpmpp", sd1, {"algorithm_type": "dpmsolver", "final_sigmas_type": "sigma_min", "solver_order": 3}
    yield "sd2-linspace-threshold", "dpmpp", sd2, {"timestep_spacing": "linspace", "thresholding": True, "sample_max_value": 2.0}
    yield "sd1-trailing", "dpmpp", sd1, {"timestep_spacing": "trailing", "lambda_min_clipped": -5.1}


def run(kind, base, overrides, steps, seed):
    config = dict(base)
    config.update(overrides)
    scheduler = CLASSES[kind].from_config(config)
    scheduler.set_timesteps(steps)
    generator = torch.Generator("cpu").manual_seed(seed)
    sample = torch.randn(SHAPE, generator=generator) * float(scheduler.init_noise_sigma)
    initial = sample.clone()
    records = []
    for t in scheduler.timesteps:
        scaled = scheduler.scale_model_input(sample, t)
        output = torch.randn(SHAPE, generator=generator)
        sample = scheduler.step(output, t, sample).prev_sample
        records.append({"timestep": float(t), "model_output": output.flatten().tolist(),
                        "scaled_input": scaled.flatten().tolist(), "prev_sample": sample.flatten().tolist()})
    effective = {k: v for k, v in scheduler.config.items() if not k.startswith("_")}
    return {"scheduler": kind, "class": type(scheduler).__name__, "steps": steps, "config": config,
            "effective_config": effective, "init_noise_sigma": float(scheduler.init_noise_sigma),
            "timesteps": [float(t) for t in scheduler.timesteps], "initial_sample": initial.flatten().tolist(),
            "records": records}


def main():
    cases = []
    for index, (label, kind, base, overrides) in enumerate(variants()):
        # DPM-Solver lowers its order near the end only below 15 steps: cover both sides.
        for steps in ((4, 12, 25) if kind == "dpmpp" else (4, 12)):
            case = run(kind, base, overrides, steps, seed=100 * index + steps)
            case["label"] = f"{kind}/{label}/{steps}"
            cases.append(case)
    target = FIXTURES / "schedulers" / "scheduler-cases.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(cases).replace("-Infinity", '"-inf"').replace("Infinity", '"inf"').replace("NaN", '"nan"')
    target.write_text(text + "\n")
    print(f"wrote {len(cases)} cases to {target}")


if __name__ == "__main__":
    main()
