"""Times huggingface_hub downloading one large file from depot's Hub endpoints and from nginx.

Run through Scripts/bench/mirror, which builds a release depot and sets DEPOT_BENCH_DEPOT. depot
pulls the file from testhub.py into a private store; `depot serve --listen 127.0.0.1:PORT` serves
that store (the daemon as users run it); nginx serves the same blob file with the headers the Hub sends (X-Repo-Commit,
X-Linked-Etag, X-Linked-Size). Each run downloads into an empty cache; the servers take turns so
machine noise spreads over both. Prints every time, the medians and the ratio measured in this run.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from benchdata import PATH, REPO, ensure_data

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

CLIENT = r"""
import sys, time
from huggingface_hub import hf_hub_download
start = time.perf_counter()
path = hf_hub_download(sys.argv[1], sys.argv[2], revision=sys.argv[3], cache_dir=sys.argv[4])
print(time.perf_counter() - start)
if len(sys.argv) > 5:
    import hashlib
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(16 << 20), b""):
            digest.update(block)
    print(digest.hexdigest())
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, process, name):
    for _ in range(300):
        if process.poll() is not None:
            raise SystemExit("%s exited early (%d)" % (name, process.returncode))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("%s did not listen on %d" % (name, port))


def start_testhub(data_dir):
    hub = subprocess.Popen(
        [sys.executable, os.path.join(ROOT, "Tests/Support/testhub/testhub.py"), os.path.join(data_dir, "repos"),
         "--lfs-threshold", str(1 << 20), "--max-seconds", "3600"],
        stdout=subprocess.PIPE, text=True)
    line = hub.stdout.readline()
    if not line.startswith("PORT "):
        hub.kill()
        raise SystemExit("testhub.py did not start: %r" % line)
    return hub, "http://127.0.0.1:%d" % int(line.split()[1])


def start_mirror(env, scratch):
    port = free_port()
    log = open(os.path.join(scratch, "serve.log"), "w")
    server = subprocess.Popen([os.environ["DEPOT_BENCH_DEPOT"], "serve", "--listen", "127.0.0.1:%d" % port], env=env,
                              stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
    wait_for_port(port, server, "depot serve")
    return server, port


def start_nginx(scratch, blob, commit, sha, size):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    prefix = os.path.join(scratch, "nginx")
    os.makedirs(os.path.join(prefix, "logs"), exist_ok=True)
    port = free_port()
    user = "user root;" if os.geteuid() == 0 else ""
    config = f"""
{user}
worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    default_type application/octet-stream;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location = /{REPO}/resolve/{commit}/{PATH} {{
            alias {blob};
            add_header X-Repo-Commit {commit} always;
            add_header X-Linked-Etag "\\"{sha}\\"" always;
            add_header X-Linked-Size {size} always;
        }}
    }}
}}
"""
    path = os.path.join(prefix, "nginx.conf")
    with open(path, "w") as handle:
        handle.write(config)
    server = subprocess.Popen([nginx, "-p", prefix, "-c", path, "-g", "daemon off;"],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              start_new_session=True)
    wait_for_port(port, server, "nginx")
    return server, port


def download(endpoint, commit, scratch, env, check=False):
    cache = tempfile.mkdtemp(prefix="cache-", dir=scratch)
    try:
        command = [sys.executable, "-c", CLIENT, REPO, PATH, commit, cache] + (["check"] if check else [])
        result = subprocess.run(command, env=dict(env, HF_ENDPOINT=endpoint), capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit("hf_hub_download from %s failed: %s" % (endpoint, result.stderr[-2000:]))
        lines = result.stdout.split()
        return float(lines[0]), (lines[1] if check else None)
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def curl_seconds(url):
    result = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{time_total}", url], capture_output=True, text=True, check=True)
    return float(result.stdout)


def stop(process):
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data-dir", default=os.path.join(tempfile.gettempdir(), "depot-bench-mirror"))
    parser.add_argument("--keep-data", action="store_true", help="keep the random file for the next run")
    args = parser.parse_args()

    size = args.size_mib << 20
    source = ensure_data(args.data_dir, size)
    scratch = tempfile.mkdtemp(prefix="depot-bench-mirror-")
    processes = []
    try:
        hub, hub_endpoint = start_testhub(args.data_dir)
        processes.append(hub)
        env = dict(os.environ, DEPOT_HOME=os.path.join(scratch, "depot"), HF_HOME=os.path.join(scratch, "hf"),
                   HF_HUB_DISABLE_TELEMETRY="1", HF_HUB_DISABLE_PROGRESS_BARS="1")
        pulled = subprocess.run([os.environ["DEPOT_BENCH_DEPOT"], "pull", REPO, "--json"],
                                env=dict(env, HF_ENDPOINT=hub_endpoint), capture_output=True, text=True)
        if pulled.returncode != 0:
            raise SystemExit("depot pull failed: %s" % pulled.stderr[-2000:])
        report = json.loads(pulled.stdout)
        stop(hub)
        commit = report["commit"]
        entry = next(f for f in report["files"] if f["path"] == PATH)
        sha = entry["sha256"]
        blob = os.path.join(scratch, "hf", "hub", "models--bench--big", "blobs", sha)
        client_env = {k: v for k, v in env.items() if k not in ("DEPOT_HOME",)}
        client_env["HF_HOME"] = os.path.join(scratch, "client-hf")

        mirror, mirror_port = start_mirror(env, scratch)
        processes.append(mirror)
        nginx, nginx_port = start_nginx(scratch, blob, commit, sha, size)
        processes.append(nginx)
        servers = {"depot": "http://127.0.0.1:%d" % mirror_port, "nginx": "http://127.0.0.1:%d" % nginx_port}
        subprocess.run(["cat", blob], stdout=subprocess.DEVNULL, check=True)  # same warm page cache for both

        for name, endpoint in servers.items():
            _, digest = download(endpoint, commit, scratch, client_env, check=True)
            if digest != sha:
                raise SystemExit("%s served bytes with sha256 %s, expected %s" % (name, digest, sha))
        times = {name: [] for name in servers}
        curl = {name: [] for name in servers}
        for run in range(args.runs):
            for name, endpoint in (servers.items() if run % 2 == 0 else reversed(list(servers.items()))):
                seconds, _ = download(endpoint, commit, scratch, client_env)
                times[name].append(seconds)
                curl[name].append(curl_seconds("%s/%s/resolve/%s/%s" % (endpoint, REPO, commit, PATH)))
                print("run %d %-5s hf_hub_download %.2f s (%.0f MiB/s), curl %.2f s" % (
                    run + 1, name, seconds, size / seconds / 2**20, curl[name][-1]), flush=True)

        rate = {name: size / statistics.median(values) / 2**20 for name, values in times.items()}
        curl_rate = {name: size / statistics.median(values) / 2**20 for name, values in curl.items()}
        ratio = rate["depot"] / rate["nginx"]
        print()
        print("file: %d MiB, %d runs each, medians" % (args.size_mib, args.runs))
        print("huggingface_hub from depot: %.0f MiB/s; from nginx: %.0f MiB/s; depot/nginx = %.2f (goal >= 0.80)" % (
            rate["depot"], rate["nginx"], ratio))
        print("curl -o /dev/null from depot: %.0f MiB/s; from nginx: %.0f MiB/s; depot/nginx = %.2f" % (
            curl_rate["depot"], curl_rate["nginx"], curl_rate["depot"] / curl_rate["nginx"]))
        print(json.dumps({"hf_mib_s": rate, "curl_mib_s": curl_rate, "ratio_hf": round(ratio, 3)}))
        return 0 if ratio >= 0.8 else 1
    finally:
        for process in processes:
            stop(process)
        shutil.rmtree(scratch, ignore_errors=True)
        if not args.keep_data:
            shutil.rmtree(args.data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
