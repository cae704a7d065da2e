#!/usr/bin/env python3
"""Driver for Scripts/bench/bundle (see there). Prints medians and ratios; exits 0 even when a goal
is missed, so the numbers are always reported."""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GENERATOR = os.path.join(ROOT, "Tests/Support/coreml/make_coreml_repo.py")
FOLDER_REPO = "apple/coreml-stable-diffusion-2-1-base"
ZIP_REPO = "apple/coreml-stable-diffusion-2-1-base-palettized"


def run(command, env=None, quiet=True):
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL if quiet else None)


def timed(command, env=None, cpu=None):
    """Wall seconds of `command`; its CPU seconds (user + system, all threads) are appended to `cpu`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    # depot's progress lines ("extracting ...") go to stderr; only the timing table is printed.
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if cpu is not None:
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall


def log(text):
    print(f"==> {text}", file=sys.stderr, flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mib", type=int, default=2560, help="UNet weight.bin size")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--keep-data", action="store_true")
    args = parser.parse_args()
    depot = os.environ["DEPOT_BENCH_DEPOT"]
    data = args.data_dir or tempfile.mkdtemp(prefix="depot-bench-bundle-")
    os.makedirs(data, exist_ok=True)
    state = os.path.join(data, "hub")
    hub_started = False
    try:
        log(f"generating two Core ML repos with a {args.size_mib} MiB UNet in {data}")
        folder_repo, zip_repo = os.path.join(data, "repo-folders"), os.path.join(data, "repo-zip")
        for path, extra in ((folder_repo, ["--variants", "original"]),
                            (zip_repo, ["--variants", "split_einsum_v2", "--no-folders",
                                        "--zip", "coreml-stable-diffusion-2-1-base-palettized"])):
            if not os.path.isdir(path):
                run([sys.executable, GENERATOR, path, "--unet-mib", str(args.size_mib)] + extra)
        log("serving them with olah and pulling them")
        out = subprocess.run([os.path.join(ROOT, "Scripts/fixture-hub"), "start", state,
                              f"{FOLDER_REPO}={folder_repo}", f"{ZIP_REPO}={zip_repo}",
                              f"openai/clip-vit-base-patch32={os.path.join(ROOT, 'Tests/Fixtures/clip-vit-base-patch32')}"],
                             check=True, capture_output=True, text=True).stdout
        hub_started = True
        endpoint = [l for l in out.splitlines() if l.startswith("HF_ENDPOINT=")][-1].split("=", 1)[1]
        home = os.path.join(data, "depot-home")
        env = dict(os.environ, DEPOT_HOME=home, HF_HOME=os.path.join(data, "hf-home"), HF_ENDPOINT=endpoint, NO_COLOR="1")
        for name in ("coreml-sd-2.1-base/original", "coreml-sd-2.1-base-palettized", "clip-tokenizer"):
            subprocess.run([depot, "pull", name], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        snapshot = subprocess.run([depot, "show", "coreml-sd-2.1-base/original", "--json"], env=env, check=True,
                                  capture_output=True, text=True).stdout
        import json
        details = json.loads(snapshot)
        compiled = os.path.join(details["versions"][0]["snapshot"], "original", "compiled")
        zip_details = json.loads(subprocess.run([depot, "show", "coreml-sd-2.1-base-palettized/split-einsum-v2", "--json"], env=env,
                                                check=True, capture_output=True, text=True).stdout)
        zip_blob = [f["blob"] for f in zip_details["versions"][0]["files"] if f["path"].endswith(".zip")][0]
        total = sum(f["size"] for f in details["versions"][0]["files"] if f["path"].startswith("original/compiled/"))

        linked, ceiling = [], []
        out_dir, peer_dir = os.path.join(data, "Resources"), os.path.join(data, "peer")
        for _ in range(args.runs):
            linked.append(timed([depot, "bundle", "coreml-sd-2.1-base", "--variant", "original", "-o", out_dir, "--force"], env))
            shutil.rmtree(peer_dir, ignore_errors=True)
            ceiling.append(timed(["cp", "-al", os.path.realpath(compiled) if not os.path.islink(compiled) else compiled, peer_dir]))
        zipped, bsdtar, zipped_cpu, bsdtar_cpu = [], [], [], []
        zip_out, bsdtar_dir = os.path.join(data, "ResourcesZip"), os.path.join(data, "bsdtar")
        for _ in range(args.runs):
            # Both start with no earlier output: freeing the last run's blocks is timed for neither.
            # The extraction record goes with the folder (gc forgets a record whose folder is gone).
            shutil.rmtree(os.path.join(home, "extracted"), ignore_errors=True)
            shutil.rmtree(zip_out, ignore_errors=True)
            run([depot, "gc"], env)
            zipped.append(timed([depot, "bundle", "coreml-sd-2.1-base-palettized", "-o", zip_out], env, zipped_cpu))
            shutil.rmtree(bsdtar_dir, ignore_errors=True)
            os.makedirs(bsdtar_dir)
            bsdtar.append(timed(["bsdtar", "-xf", zip_blob, "-C", bsdtar_dir], cpu=bsdtar_cpu))
        reuse = timed([depot, "bundle", "coreml-sd-2.1-base-palettized", "-o", zip_out, "--force"], env)

        m = statistics.median
        print(f"model: {total / 2**30:.2f} GiB compiled; runs: {args.runs} (zip: {len(zipped)})")
        print(f"hard-linked bundle: median {m(linked):.3f} s (goal <= 1 s: {'met' if m(linked) <= 1 else 'MISSED'}); "
              f"cp -al of the same folder {m(ceiling):.3f} s; ratio {m(linked) / m(ceiling):.2f}x")
        print(f"bundle from zip (fresh extraction): median {m(zipped):.2f} s; bsdtar -xf {m(bsdtar):.2f} s; "
              f"ratio {m(zipped) / m(bsdtar):.2f}x (goal <= 1.1x: {'met' if m(zipped) <= 1.1 * m(bsdtar) else 'MISSED'})")
        print(f"  runs (depot / bsdtar): " + ", ".join(f"{a:.2f}/{b:.2f}" for a, b in zip(zipped, bsdtar)))
        # On a busy machine each session gets a fair share of the cores, so the wall ratio tends to
        # the CPU ratio; on an idle one depot's hashing thread has a core of its own.
        print(f"  CPU (user + system): depot median {m(zipped_cpu):.2f} s, bsdtar {m(bsdtar_cpu):.2f} s, "
              f"ratio {m(zipped_cpu) / m(bsdtar_cpu):.2f}x")
        print(f"  load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"bundle from zip again (extraction reused): {reuse:.3f} s")
    finally:
        if hub_started:
            subprocess.run([os.path.join(ROOT, "Scripts/fixture-hub"), "stop", state], check=False)
        if not args.keep_data and not args.data_dir:
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
