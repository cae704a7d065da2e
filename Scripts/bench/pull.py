"""Times depot, curl+openssl and huggingface_hub pulling one large file from testhub.py.

Run through Scripts/bench/pull, which builds the binaries and sets DEPOT_BENCH_DRIVER (and
DEPOT_BENCH_DEPOT when `depot pull` exists). Each run starts from an empty destination; the
tools take turns so machine noise spreads over all of them. Prints every time, the medians and
the ratios measured in this run.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from benchdata import PATH, REPO, ensure_data

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def start_hub(data_dir):
    hub = subprocess.Popen(
        [sys.executable, os.path.join(ROOT, "Tests/Support/testhub/testhub.py"), os.path.join(data_dir, "repos"),
         "--lfs-threshold", str(1 << 20), "--max-seconds", "3600"],
        stdout=subprocess.PIPE, text=True)
    line = hub.stdout.readline()
    if not line.startswith("PORT "):
        hub.kill()
        raise SystemExit("testhub.py did not start: %r" % line)
    return hub, "http://127.0.0.1:%d" % int(line.split()[1])


def timed(command, env=None, expect_sha=None):
    start = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit("%s failed (%d): %s" % (command[0], result.returncode, result.stderr[-2000:]))
    if expect_sha and expect_sha not in result.stdout:
        raise SystemExit("%s did not report sha256 %s: %s" % (command[0], expect_sha, result.stdout[-500:]))
    return seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=None, help="depot's parallel connections (default: its own)")
    parser.add_argument("--data-dir", default=os.path.join(tempfile.gettempdir(), "depot-bench-pull"))
    parser.add_argument("--keep-data", action="store_true", help="keep the random file for the next run")
    args = parser.parse_args()

    source = ensure_data(args.data_dir, args.size_mib << 20)
    hub, endpoint = start_hub(args.data_dir)
    scratch = tempfile.mkdtemp(prefix="depot-bench-pull-")
    try:
        url = "%s/%s/resolve/main/%s" % (endpoint, REPO, PATH)
        tree = subprocess.run(["curl", "-sS", "%s/api/models/%s/tree/main?recursive=true" % (endpoint, REPO)],
                              capture_output=True, text=True, check=True).stdout  # hashes the file once, server side
        sha = next(e["lfs"]["oid"] for e in json.loads(tree) if e["path"] == PATH)
        subprocess.run(["cat", source], stdout=subprocess.DEVNULL, check=True)  # same warm page cache for all

        env = dict(os.environ, HF_ENDPOINT=endpoint, HF_HUB_DISABLE_TELEMETRY="1", HF_HUB_DISABLE_PROGRESS_BARS="1")
        env.pop("HF_TOKEN", None)
        if args.connections:
            env["DEPOT_CONNECTIONS"] = str(args.connections)
        depot_cli = os.environ.get("DEPOT_BENCH_DEPOT")
        driver = os.environ["DEPOT_BENCH_DRIVER"]
        out = os.path.join(scratch, "out")

        def run_depot():
            if depot_cli:
                depot_env = dict(env, HF_HUB_CACHE=os.path.join(out, "hub"), DEPOT_HOME=os.path.join(out, "depot"))
                return timed([depot_cli, "pull", REPO, "--json"], depot_env)
            return timed([driver, REPO, PATH, out], env, expect_sha=sha)

        def run_curl():
            target = os.path.join(out, PATH)
            os.makedirs(out, exist_ok=True)
            return timed(["bash", "-c", 'curl -sS -o "$1" "$2" && openssl dgst -sha256 "$1"', "-", target, url],
                         env, expect_sha=sha)

        def run_hf():
            code = ("import sys; from huggingface_hub import hf_hub_download; "
                    "print(hf_hub_download(sys.argv[1], sys.argv[2], cache_dir=sys.argv[3]))")
            return timed([sys.executable, "-c", code, REPO, PATH, os.path.join(out, "hf")], env)

        tools = [("depot", run_depot), ("curl+openssl", run_curl), ("huggingface_hub", run_hf)]
        times = {name: [] for name, _ in tools}
        for run in range(args.runs):
            for name, function in tools:
                shutil.rmtree(out, ignore_errors=True)
                seconds = function()
                times[name].append(seconds)
                print("run %d  %-16s %.3f s" % (run + 1, name, seconds), flush=True)
        shutil.rmtree(out, ignore_errors=True)

        median = {name: statistics.median(values) for name, values in times.items()}
        size_gib = (args.size_mib << 20) / float(1 << 30)
        print()
        print("file: %d MiB LFS from testhub.py on 127.0.0.1; depot = %s" %
              (args.size_mib, "depot pull" if depot_cli else "depot-pull-driver (HubClient.download + rename)"))
        for name, value in median.items():
            print("median %-16s %.3f s  (%.2f GiB/s)" % (name, value, size_gib / value))
        curl_ratio = median["depot"] / median["curl+openssl"]
        hf_ratio = median["depot"] / median["huggingface_hub"]
        print("depot / curl+openssl    = %.2fx  (goal <= 1.0x) %s" % (curl_ratio, "PASS" if curl_ratio <= 1.0 else "FAIL"))
        print("depot / huggingface_hub = %.2fx  (goal <= 0.5x) %s" % (hf_ratio, "PASS" if hf_ratio <= 0.5 else "FAIL"))
        print(json.dumps({"size_mib": args.size_mib, "runs": args.runs, "times": times, "median": median,
                          "depot_vs_curl_openssl": curl_ratio, "depot_vs_huggingface_hub": hf_ratio}))
    finally:
        hub.kill()
        hub.wait()
        shutil.rmtree(scratch, ignore_errors=True)
        if not args.keep_data:
            shutil.rmtree(args.data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
